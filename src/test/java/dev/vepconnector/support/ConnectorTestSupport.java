package dev.vepconnector.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Names and settings that keep each test's queue, exchanges and database apart from every other. */
public final class ConnectorTestSupport {

    private ConnectorTestSupport() {
    }

    /** The admin every test connector has; reading is open so tests see what a dashboard user sees. */
    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "admin-test-password";

    static final java.util.Map<String, String> SECURITY = java.util.Map.of(
            "vep.security.admin.username", ADMIN_USER, "vep.security.admin.password", ADMIN_PASSWORD,
            "vep.security.public-read", "true");

    /** HTTP Basic credentials of the test admin, as a header value. */
    public static String adminAuthorization() {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((ADMIN_USER + ":" + ADMIN_PASSWORD)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** One isolated connector setup: its own exchanges, queue and data directory. */
    public record Setup(String exchange, String integrationExchange, String queue, Path dataDirectory) {

        public static Setup unique() {
            String id = UUID.randomUUID().toString().substring(0, 8);
            try {
                TestDatabase.createIfPostgres("vep_test_" + id);
                return new Setup("test-" + id + ".outgoing", "test-" + id + ".integration", "test-" + id + ".events",
                        Files.createTempDirectory("vep-connector-test-" + id));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        public void register(DynamicPropertyRegistry registry) {
            registry.add("spring.rabbitmq.host", TestBroker::host);
            registry.add("spring.rabbitmq.port", TestBroker::port);
            registry.add("vep.exchange", this::exchange);
            registry.add("vep.integration-exchange", this::integrationExchange);
            registry.add("vep.queue", this::queue);
            registry.add("vep.data-directory", () -> dataDirectory.toString());
            registry.add("vep.ingest.bind-retry-interval", () -> "500ms");
            SECURITY.forEach((key, value) -> registry.add(key, () -> value));
            TestDatabase.properties(databaseName()).forEach((key, value) -> registry.add(key, () -> value));
        }

        private String databaseName() {
            return "vep_test_" + queue.substring("test-".length(), "test-".length() + 8);
        }

        /** The same settings as command-line arguments (an extra with the same key replaces the default), for connectors started as applications. */
        public String[] arguments(String... extra) {
            String[] base = {
                    "--spring.rabbitmq.host=" + TestBroker.host(), "--spring.rabbitmq.port=" + TestBroker.port(),
                    "--vep.exchange=" + exchange, "--vep.integration-exchange=" + integrationExchange, "--vep.queue=" + queue,
                    "--vep.data-directory=" + dataDirectory, "--vep.ingest.bind-retry-interval=500ms", "--server.port=0"};
            java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(base));
            SECURITY.forEach((key, value) -> all.add("--" + key + "=" + value));
            TestDatabase.properties(databaseName()).forEach((key, value) -> all.add("--" + key + "=" + value));
            base = all.toArray(String[]::new);
            java.util.Map<String, String> byKey = new java.util.LinkedHashMap<>();
            for (String arg : base) {
                byKey.put(arg.substring(0, arg.indexOf('=')), arg);
            }
            for (String arg : extra) {
                byKey.put(arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg, arg);
            }
            return byKey.values().toArray(String[]::new);
        }
    }
}
