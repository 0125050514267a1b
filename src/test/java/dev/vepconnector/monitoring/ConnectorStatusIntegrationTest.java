package dev.vepconnector.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.RunningConnector;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/status} with a broker the connector cannot reach (a port nobody listens on): the dashboard's
 * viewer learns the broker is not connected, and why, from the API, with the actuator out of reach. The
 * connected case is in {@code ApiSecurityIntegrationTest}, over its running connector.
 */
class ConnectorStatusIntegrationTest {

    static final Setup SETUP = Setup.unique();
    static RunningConnector connector;
    static int nobodyListens;

    @BeforeAll
    static void start() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            nobodyListens = socket.getLocalPort();
        }
        connector = RunningConnector.start(SETUP.arguments("--spring.rabbitmq.host=127.0.0.1",
                "--spring.rabbitmq.port=" + nobodyListens, "--vep.ingest.bind-retry-interval=200ms"));
    }

    @AfterAll
    static void stop() {
        connector.close();
    }

    @Test
    void anUnreachableBrokerShowsAsNotConnectedWithTheReason() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(status().get("broker").get("state").asText()).isEqualTo("BROKER_UNREACHABLE"));
        JsonNode status = status();
        JsonNode broker = status.get("broker");
        assertThat(broker.get("connected").asBoolean()).isFalse();
        assertThat(broker.get("problem").asText()).as("what is wrong and what to check, as the vepBroker health says it")
                .contains("cannot reach the broker at 127.0.0.1:" + nobodyListens, "spring.rabbitmq.port");
        assertThat(broker.has("since")).isTrue();
        assertThat(status.get("dataDisk").get("state").asText()).isEqualTo("OK");
        assertThat(status.get("dataDisk").get("low").asBoolean()).isFalse();
        assertThat(status.get("dataDisk").get("freeBytes").asLong()).isPositive();
        assertThat(status.toString()).as("no user names, passwords or paths for a viewer")
                .doesNotContain("guest").doesNotContain("password").doesNotContain(SETUP.dataDirectory().toString());
    }

    private static JsonNode status() {
        return connector.http().get().uri("/api/status").retrieve().body(JsonNode.class);
    }
}
