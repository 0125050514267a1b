package dev.vepconnector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.RunningConnector;
import dev.vepconnector.support.TestBroker;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The connector against a broker that is not ready, drops its connection, or sees the connector
 * restart: every valid message is stored exactly once and every bad one dead-lettered.
 */
class BrokerResilienceIntegrationTest {

    private static final int MESSAGES = 3000;
    private static final int EVERY_NTH_IS_BAD = 100;

    private final Setup setup = Setup.unique();
    private final FakeVep vep = new FakeVep();

    @AfterEach
    void cleanUp() {
        vep.deleteQueue(setup.queue());
        vep.deleteExchange(setup.exchange());
        vep.close();
    }

    @Test
    void waitsForVepsExchangeReportingDownAndConsumesOnceItExists() throws Exception {
        try (RunningConnector connector = RunningConnector.start(setup.arguments())) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                var health = connector.health("vepBroker");
                assertThat(health.get("status")).isEqualTo("DOWN");
                assertThat(String.valueOf(health.get("details"))).contains("EXCHANGE_MISSING", "does not exist");
            });
            assertThat(connector.http().get().uri("/actuator/health/readiness").retrieve()
                    .onStatus(s -> true, (req, res) -> { }).toEntity(String.class).getStatusCode().value()).isEqualTo(503);

            vep.declareExchange(setup.exchange());
            await().atMost(Duration.ofSeconds(30)).until(connector::isConsuming);
            vep.publish(setup.exchange(), "case.opened", "{\"caseId\": \"late-exchange\", \"agentId\": \"a\"}");
            await().atMost(Duration.ofSeconds(30)).until(() -> stored(connector.jdbc(), "late-exchange") == 1);
        }
    }

    @Test
    void aConnectionClosedByTheBrokerMidStreamLosesNothing() throws Exception {
        vep.declareExchange(setup.exchange());
        try (RunningConnector connector = RunningConnector.start(setup.arguments())) {
            await().atMost(Duration.ofSeconds(30)).until(connector::isConsuming);
            AtomicInteger published = new AtomicInteger();
            CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> publishStream(published));

            await().atMost(Duration.ofSeconds(60)).until(() -> stored(connector.jdbc(), null) > MESSAGES / 4);
            int closed = closeConnectorConnections();
            assertThat(closed).as("connections of this connector closed by the broker").isPositive();

            stream.get();
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertEverythingStoredOnce(connector.jdbc()));
            await().atMost(Duration.ofSeconds(30)).until(connector::isConsuming);
        }
    }

    @Test
    void aConnectorRestartedMidStreamLosesNothing() throws Exception {
        vep.declareExchange(setup.exchange());
        AtomicInteger published = new AtomicInteger();
        CompletableFuture<Void> stream;
        try (RunningConnector first = RunningConnector.start(setup.arguments())) {
            await().atMost(Duration.ofSeconds(30)).until(first::isConsuming);
            stream = CompletableFuture.runAsync(() -> publishStream(published));
            await().atMost(Duration.ofSeconds(60)).until(() -> stored(first.jdbc(), null) > MESSAGES / 4);
        }
        try (RunningConnector second = RunningConnector.start(setup.arguments())) {
            stream.get();
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertEverythingStoredOnce(second.jdbc()));
        }
    }

    @Test
    void aBrokerRestartMidStreamLosesNothing() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestBroker.isRabbitMq(),
                "rabbitmqctl stop_app/start_app needs RabbitMQ; the embedded broker keeps nothing across a restart");
        vep.declareExchange(setup.exchange());
        try (RunningConnector connector = RunningConnector.start(setup.arguments())) {
            await().atMost(Duration.ofSeconds(30)).until(connector::isConsuming);
            AtomicInteger published = new AtomicInteger();
            CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> publishStream(published));
            await().atMost(Duration.ofSeconds(60)).until(() -> stored(connector.jdbc(), null) > MESSAGES / 4);

            TestBroker.rabbitmqctl("stop_app");
            await().atMost(Duration.ofSeconds(30)).until(() -> !connector.isConsuming());
            TestBroker.rabbitmqctl("start_app");
            long restarted = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).until(connector::isConsuming);
            long reconnectMs = (System.nanoTime() - restarted) / 1_000_000;

            stream.get();
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertEverythingStoredOnce(connector.jdbc()));
            System.out.printf("[figures] broker restart: rabbitmqctl stop_app/start_app mid-stream of %d messages; lost 0; "
                    + "consuming again %d ms after start_app%n", MESSAGES, reconnectMs);
        }
    }

    private void publishStream(AtomicInteger published) {
        try {
            for (int i = 0; i < MESSAGES; i++) {
                String body = i % EVERY_NTH_IS_BAD == 0
                        ? "{\"caseId\": \"stream-" + i + "\", \"agentId\": " // truncated JSON
                        : "{\"eventTime\": \"2026-11-23T10:00:00Z\", \"caseId\": \"stream-" + i + "\", \"agentId\": \"a\"}";
                vep.publish(setup.exchange(), "case.opened", body);
                published.incrementAndGet();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void assertEverythingStoredOnce(JdbcTemplate jdbc) {
        int good = MESSAGES - MESSAGES / EVERY_NTH_IS_BAD;
        assertThat(stored(jdbc, null)).isEqualTo(good);
        assertThat(jdbc.queryForObject("SELECT COUNT(DISTINCT entity_id) FROM event_log", Long.class)).isEqualTo(good);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM dead_letter", Long.class)).isEqualTo(MESSAGES / EVERY_NTH_IS_BAD);
    }

    private static long stored(JdbcTemplate jdbc, String entityId) {
        Long count = entityId == null
                ? jdbc.queryForObject("SELECT COUNT(*) FROM event_log", Long.class)
                : jdbc.queryForObject("SELECT COUNT(*) FROM event_log WHERE entity_id = ?", Long.class, entityId);
        return count == null ? 0 : count;
    }

    /**
     * Closes, from the broker side, the connections this connector opened: on RabbitMQ with rabbitmqctl,
     * finding them by their name; on the embedded broker, all of them (the test publisher reconnects).
     */
    private int closeConnectorConnections() throws Exception {
        if (!TestBroker.isRabbitMq()) {
            return TestBroker.embedded().closeAllConnections();
        }
        Process list = new ProcessBuilder("rabbitmqctl", "-q", "list_connections", "pid", "client_properties").redirectErrorStream(true).start();
        String output = new String(list.getInputStream().readAllBytes());
        list.waitFor();
        int closed = 0;
        for (String line : output.lines().toList()) {
            if (line.contains("queue=" + setup.queue())) {
                String pid = line.split("\t")[0].trim();
                Process close = new ProcessBuilder("rabbitmqctl", "close_connection", pid, "test: broker-side close")
                        .redirectErrorStream(true).start();
                close.getInputStream().readAllBytes();
                if (close.waitFor() == 0) {
                    closed++;
                }
            }
        }
        return closed;
    }
}
