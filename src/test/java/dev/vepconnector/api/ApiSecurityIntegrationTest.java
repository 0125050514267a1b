package dev.vepconnector.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.RunningConnector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who gets in: probes and scrapers reach health, info and prometheus with nothing; the dashboard and the
 * read API need a viewer; replay and collect need the admin; nothing else of the actuator is reachable.
 */
class ApiSecurityIntegrationTest {

    static final Setup SETUP = Setup.unique();
    static final FakeVep VEP = new FakeVep();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static RunningConnector connector;

    @BeforeAll
    static void start() throws Exception {
        VEP.declareExchange(SETUP.exchange());
        VEP.declareExchange(SETUP.integrationExchange());
        connector = RunningConnector.start(SETUP.arguments("--vep.security.public-read=false",
                "--vep.security.viewer.username=watcher", "--vep.security.viewer.password=viewer-pw"));
        await().atMost(Duration.ofSeconds(30)).until(connector::isConsuming);
    }

    @AfterAll
    static void stop() {
        connector.close();
        VEP.deleteQueue(SETUP.queue());
        VEP.deleteExchange(SETUP.exchange());
        VEP.deleteExchange(SETUP.integrationExchange());
        VEP.close();
    }

    @Test
    void probesAndScrapersNeedNoCredentials() throws Exception {
        assertThat(status("GET", "/actuator/health", null)).isEqualTo(200);
        assertThat(status("GET", "/actuator/health/readiness", null)).isEqualTo(200);
        assertThat(status("GET", "/actuator/info", null)).isEqualTo(200);
        assertThat(status("GET", "/actuator/prometheus", null)).isEqualTo(200);
    }

    @Test
    void nothingElseIsOpen() throws Exception {
        for (String path : new String[] {"/", "/api/groups", "/api/status", "/api/cases", "/api/dead-letters", "/api/sinks", "/api/config/agents"}) {
            assertThat(status("GET", path, null)).as(path).isEqualTo(401);
            assertThat(status("GET", path, basic("watcher", "wrong"))).as(path).isEqualTo(401);
        }
        assertThat(status("POST", "/api/config/agents/collect", null)).isEqualTo(401);
        assertThat(status("POST", "/api/sinks/file/dead-letters/replay", null)).isEqualTo(401);
        for (String path : new String[] {"/actuator/env", "/actuator/beans", "/actuator/metrics", "/actuator/heapdump"}) {
            assertThat(status("GET", path, null)).as(path).isIn(401, 403, 404);
            assertThat(status("GET", path, basic("admin", "admin-test-password"))).as(path).isIn(403, 404);
        }
    }

    @Test
    void aViewerReadsButCannotAct() throws Exception {
        String viewer = basic("watcher", "viewer-pw");
        assertThat(status("GET", "/", viewer)).isEqualTo(200);
        assertThat(status("GET", "/api/groups", viewer)).isEqualTo(200);
        assertThat(status("GET", "/api/dead-letters", viewer)).isEqualTo(200);
        HttpResponse<String> connectorStatus = send("GET", "/api/status", viewer);
        assertThat(connectorStatus.statusCode()).isEqualTo(200);
        JsonNode state = new ObjectMapper().readTree(connectorStatus.body());
        assertThat(state.get("broker").get("connected").asBoolean()).as("the broker, without the actuator").isTrue();
        assertThat(state.get("broker").get("state").asText()).isEqualTo("BOUND");
        assertThat(state.get("broker").has("problem")).isFalse();
        assertThat(state.get("dataDisk").get("low").asBoolean()).isFalse();
        assertThat(state.get("dataDisk").get("freeBytes").asLong()).isPositive();
        assertThat(connectorStatus.body()).as("no user name, password or path").doesNotContain("guest", "password", "\"path\"");
        assertThat(status("POST", "/api/config/agents/collect", viewer)).isEqualTo(403);
        assertThat(status("POST", "/api/sinks/file/dead-letters/replay", viewer)).isEqualTo(403);
    }

    @Test
    void theAdminActs() throws Exception {
        String admin = basic("admin", "admin-test-password");
        assertThat(status("POST", "/api/config/agents/collect", admin)).isEqualTo(202);
        assertThat(status("POST", "/api/sinks/file/dead-letters/replay", admin)).isEqualTo(200);
        assertThat(status("GET", "/api/sinks", admin)).isEqualTo(200);
    }

    @Test
    void aRefusalSaysWhatIsMissing() throws Exception {
        assertThat(send("POST", "/api/config/agents/collect", null).body()).contains("takes the admin's credentials");
        assertThat(send("POST", "/api/config/agents/collect", basic("watcher", "viewer-pw")).body()).contains("takes the admin");
        assertThat(send("GET", "/api/groups", null).body()).contains("takes a viewer's or the admin's credentials");
        HttpResponse<String> wrong = send("GET", "/api/groups", basic("watcher", "wrong"));
        assertThat(wrong.body()).contains("user name or password is wrong").doesNotContain("watcher");
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"vep-connector\"");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static int status(String method, String path, String authorization) throws Exception {
        return send(method, path, authorization).statusCode();
    }

    private static HttpResponse<String> send(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(connector.baseUrl() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
