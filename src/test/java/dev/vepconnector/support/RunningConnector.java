package dev.vepconnector.support;

import dev.vepconnector.VepConnectorApplication;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

/** A connector started in this JVM as the real application (not a test slice), to be stopped and started again. */
public final class RunningConnector implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final RestClient http;

    private final RestClient management;
    private final String baseUrl;

    private RunningConnector(ConfigurableApplicationContext context) {
        this.context = context;
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.baseUrl = "http://127.0.0.1:" + port;
        this.http = RestClient.builder().baseUrl(baseUrl)
                .defaultHeader("Authorization", ConnectorTestSupport.adminAuthorization()).build();
        String managementPort = context.getEnvironment().getProperty("local.management.port");
        this.management = managementPort == null ? http : RestClient.create("http://127.0.0.1:" + managementPort);
    }

    public static RunningConnector start(String... args) {
        return new RunningConnector(new SpringApplicationBuilder(VepConnectorApplication.class).run(args));
    }

    public JdbcTemplate jdbc() {
        return context.getBean(JdbcTemplate.class);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public String baseUrl() {
        return baseUrl;
    }

    public RestClient http() {
        return http;
    }

    /** The actuator's client: the management port when one is set (production profile), else the main port. */
    public RestClient management() {
        return management;
    }

    /** The component's health ({@code vepBroker}, {@code db}, ...) as the actuator reports it. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> health(String component) {
        Map<String, Object> health = management.get().uri("/actuator/health").retrieve()
                .onStatus(status -> true, (request, response) -> { })
                .body(Map.class);
        return (Map<String, Object>) ((Map<String, Object>) health.get("components")).get(component);
    }

    public boolean isConsuming() {
        return "UP".equals(health("vepBroker").get("status"));
    }

    @Override
    public void close() {
        context.close();
    }
}
