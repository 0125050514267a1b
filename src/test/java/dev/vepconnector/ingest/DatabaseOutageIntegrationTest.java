package dev.vepconnector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.RunningConnector;
import dev.vepconnector.support.TcpProxy;
import dev.vepconnector.support.TestBroker;
import dev.vepconnector.support.TestDatabase;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL becomes unreachable mid-stream (a proxy between connector and database is cut): the
 * connector stores and acknowledges nothing while it is gone, holds what it received, and once the
 * database is back stores every valid message exactly once and dead-letters every bad one, by itself.
 */
class DatabaseOutageIntegrationTest {

    private static final int MESSAGES = 2000;
    private static final int EVERY_NTH_IS_BAD = 50;

    private final Setup setup = Setup.unique();
    private final String database = "vep_test_outage_" + Long.toHexString(System.nanoTime());
    private final FakeVep vep = new FakeVep();

    @AfterEach
    void cleanUp() {
        vep.deleteQueue(setup.queue());
        vep.deleteExchange(setup.exchange());
        vep.close();
    }

    @Test
    void nothingIsAcknowledgedOrLostWhileTheDatabaseIsUnreachable() throws Exception {
        Map<String, String> direct = TestDatabase.createPostgres(database);
        vep.declareExchange(setup.exchange());
        try (TcpProxy proxy = new TcpProxy(5432)) {
            List<String> args = new ArrayList<>();
            args.add("--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + database + "?socketTimeout=5&connectTimeout=2");
            args.add("--spring.datasource.username=" + direct.get("spring.datasource.username"));
            args.add("--spring.datasource.hikari.connection-timeout=2000");
            args.add("--vep.ingest.store-retry-max=1s");
            try (RunningConnector connector = RunningConnector.start(setup.arguments(args.toArray(String[]::new)))) {
                await().atMost(Duration.ofSeconds(30)).until(connector::isConsuming);
                CompletableFuture<Void> stream = CompletableFuture.runAsync(this::publishStream);
                await().atMost(Duration.ofSeconds(60)).until(() -> storedDirectly(direct) > MESSAGES / 5);

                proxy.cut();
                long storedWhenCut = storedDirectly(direct);
                await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
                assertThat(storedDirectly(direct)).as("nothing stored while the database is unreachable").isEqualTo(storedWhenCut);
                if (TestBroker.isRabbitMq()) {
                    assertThat(unacknowledged()).as("messages held unacknowledged on the broker").isPositive();
                }

                long heldUnacknowledged = TestBroker.isRabbitMq() ? unacknowledged() : -1;
                proxy.restore();
                long restored = System.nanoTime();
                await().atMost(Duration.ofSeconds(60)).until(() -> storedDirectly(direct) > storedWhenCut);
                long recoveryMs = (System.nanoTime() - restored) / 1_000_000;
                stream.get();
                int good = MESSAGES - MESSAGES / EVERY_NTH_IS_BAD;
                await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                    assertThat(storedDirectly(direct)).isEqualTo(good);
                    assertThat(query(direct, "SELECT COUNT(*) FROM dead_letter")).isEqualTo(MESSAGES / EVERY_NTH_IS_BAD);
                });
                System.out.printf("[figures] database outage: PostgreSQL unreachable mid-stream of %d messages; %d held "
                        + "unacknowledged on the broker, 0 acknowledged unstored; lost 0; storing again %d ms after it came back%n",
                        MESSAGES, heldUnacknowledged, recoveryMs);
                assertThat(query(direct, "SELECT COUNT(DISTINCT entity_id) FROM event_log")).isEqualTo(good);
                if (TestBroker.isRabbitMq()) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> unacknowledged() == 0);
                }
            }
        }
    }

    private void publishStream() {
        try {
            for (int i = 0; i < MESSAGES; i++) {
                String body = i % EVERY_NTH_IS_BAD == 0
                        ? "{\"caseId\": \"outage-" + i + "\", \"outcome\": \"splendid\"}"
                        : "{\"eventTime\": \"2026-11-23T10:00:00Z\", \"caseId\": \"outage-" + i + "\", \"agentId\": \"a\"}";
                vep.publish(setup.exchange(), i % EVERY_NTH_IS_BAD == 0 ? "case.closed" : "case.opened", body);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private long storedDirectly(Map<String, String> direct) throws Exception {
        return query(direct, "SELECT COUNT(*) FROM event_log");
    }

    private static long query(Map<String, String> direct, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(direct.get("spring.datasource.url"), direct.get("spring.datasource.username"), "")) {
            var rs = c.createStatement().executeQuery(sql);
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Messages delivered to the connector and not yet acknowledged, as RabbitMQ counts them (rabbitmqctl). */
    private long unacknowledged() throws Exception {
        Process p = new ProcessBuilder("rabbitmqctl", "-q", "list_queues", "name", "messages_unacknowledged").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out.lines().filter(l -> l.startsWith(setup.queue() + "\t")).mapToLong(l -> Long.parseLong(l.split("\t")[1].trim())).findFirst().orElse(0);
    }
}
