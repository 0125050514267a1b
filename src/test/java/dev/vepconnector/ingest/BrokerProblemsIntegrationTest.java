package dev.vepconnector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vepconnector.broker.EmbeddedAmqpBroker;
import dev.vepconnector.support.ConnectorProcess;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.TcpProxy;
import dev.vepconnector.support.TestBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The connector against a broker it cannot use, for each reason it can tell apart: the {@code vepBroker}
 * health says which and what to do, the log says it once however often binding is retried (every
 * 200 ms here), and neither the connector nor the libraries under it log a stack trace or the same
 * warning twice.
 */
class BrokerProblemsIntegrationTest {

    private static final String RETRY_EVERY_200_MS = "--vep.ingest.bind-retry-interval=200ms";
    private static final int SEVERAL_ATTEMPTS = 5;

    private final Setup setup = Setup.unique();
    private final FakeVep vep = new FakeVep();
    private final Path log = setup.dataDirectory().resolve("connector.log");
    private final String user = "vep-test-" + setup.queue().substring("test-".length(), "test-".length() + 8);
    private final String password = "canary-broker-password-" + user;
    private boolean userAdded;
    private ConnectorProcess connector;

    @AfterEach
    void cleanUp() {
        if (connector != null) {
            connector.close();
        }
        if (userAdded) {
            TestBroker.rabbitmqctl("delete_user", user);
        }
        vep.deleteQueue(setup.queue());
        vep.deleteExchange(setup.exchange());
        vep.deleteExchange(setup.integrationExchange());
        vep.close();
    }

    @Test
    void eachRefusalIsToldOnceWithItsFixUntilTheBrokerLetsTheConnectorIn() throws Exception {
        Assumptions.assumeTrue(TestBroker.isRabbitMq(), "users and permissions are set with rabbitmqctl");
        TestBroker.rabbitmqctl("add_user", user, "another-" + password);
        userAdded = true;
        connector = ConnectorProcess.start(log, setup.arguments(RETRY_EVERY_200_MS,
                "--spring.rabbitmq.username=" + user, "--spring.rabbitmq.password=" + password));

        Map<String, Object> loginRefused = awaitSeveralAttempts("LOGIN_REFUSED");
        assertThat(loginRefused).containsEntry("user", user).containsEntry("broker", TestBroker.host() + ":" + TestBroker.port());
        assertThat(loginRefused.get("problem").toString())
                .contains("refused the login of user '" + user + "'", "spring.rabbitmq.username", "spring.rabbitmq.password");
        assertToldOnce("LOGIN_REFUSED");

        TestBroker.rabbitmqctl("change_password", user, password);
        Map<String, Object> vhostNotAllowed = awaitSeveralAttempts("VHOST_NOT_ALLOWED");
        assertThat(vhostNotAllowed.get("problem").toString())
                .contains("user '" + user + "' may not open virtual host '/'", "spring.rabbitmq.virtual-host", "permissions");
        assertToldOnce("VHOST_NOT_ALLOWED");

        TestBroker.rabbitmqctl("set_permissions", "-p", "/", user, "^$", ".*", ".*");
        assertThat(awaitSeveralAttempts("EXCHANGE_MISSING").get("problem").toString())
                .contains("exchange '" + setup.exchange() + "' does not exist");
        assertToldOnce("EXCHANGE_MISSING");

        vep.declareExchange(setup.exchange());
        vep.declareExchange(setup.integrationExchange());
        assertThat(awaitSeveralAttempts("PERMISSION_REFUSED").get("problem").toString())
                .contains("configure, write and read permission on queue '" + setup.queue() + "'");
        assertToldOnce("PERMISSION_REFUSED");

        TestBroker.rabbitmqctl("set_permissions", "-p", "/", user, ".*", ".*", ".*");
        await().atMost(ConnectorProcess.START_PATIENCE).until(connector::isConsuming);
        assertThat(logLines()).filteredOn(line -> line.contains("consuming again (was PERMISSION_REFUSED since"))
                .singleElement().asString().contains(" INFO ");
        assertNoStackTraceNorRepeatedWarning();
        assertThat(logLines()).noneMatch(line -> line.contains(password));
    }

    @Test
    void aPortNobodyListensOnIsAnUnreachableBroker() throws Exception {
        int closedPort = freePort();
        connector = ConnectorProcess.start(log, setup.arguments(RETRY_EVERY_200_MS, "--spring.rabbitmq.port=" + closedPort));

        assertThat(awaitSeveralAttempts("BROKER_UNREACHABLE").get("problem").toString())
                .contains("cannot reach the broker at " + TestBroker.host() + ":" + closedPort, "Connection refused",
                        "spring.rabbitmq.host", "spring.rabbitmq.port");
        assertToldOnce("BROKER_UNREACHABLE");
        assertNoStackTraceNorRepeatedWarning();
    }

    @Test
    void tlsToAPlainPortIsATlsFailure() throws Exception {
        connector = ConnectorProcess.start(log, setup.arguments(RETRY_EVERY_200_MS, "--spring.rabbitmq.ssl.enabled=true"));

        Map<String, Object> tlsFailed = awaitSeveralAttempts("TLS_FAILED");
        assertThat(tlsFailed).containsEntry("tls", true);
        assertThat(tlsFailed.get("problem").toString()).contains("TLS with the broker at", "spring.rabbitmq.ssl", "TLS port");
        assertToldOnce("TLS_FAILED");
        assertNoStackTraceNorRepeatedWarning();
    }

    @Test
    void plainTextToATlsPortIsATlsFailure() throws Exception {
        try (EmbeddedAmqpBroker tlsBroker = EmbeddedAmqpBroker.start(0,
                new EmbeddedAmqpBroker.TlsKeyStore(Path.of("src/test/resources/tls/server.p12"), "changeit"))) {
            connector = ConnectorProcess.start(log, setup.arguments(RETRY_EVERY_200_MS,
                    "--spring.rabbitmq.host=localhost", "--spring.rabbitmq.port=" + tlsBroker.tlsPort()));

            Map<String, Object> tlsFailed = awaitSeveralAttempts("TLS_FAILED");
            assertThat(tlsFailed).containsEntry("tls", false);
            assertThat(tlsFailed.get("problem").toString()).contains("spring.rabbitmq.ssl.enabled=true", "spring.rabbitmq.port");
            assertToldOnce("TLS_FAILED");
            assertNoStackTraceNorRepeatedWarning();
            connector.close();
        }
    }

    @Test
    void aLostConnectionIsToldOnceAndConsumingResumesWhenTheBrokerIsBack() throws Exception {
        vep.declareExchange(setup.exchange());
        vep.declareExchange(setup.integrationExchange());
        try (TcpProxy proxy = new TcpProxy(TestBroker.port())) {
            connector = ConnectorProcess.start(log, setup.arguments(RETRY_EVERY_200_MS, "--spring.rabbitmq.port=" + proxy.port()));
            await().atMost(ConnectorProcess.START_PATIENCE).until(connector::isConsuming);
            publishCaseOpened("before-outage");
            await().atMost(Duration.ofSeconds(30)).until(() -> connector.metric("vep_events_received_total") >= 1);

            proxy.cut();
            assertThat(awaitSeveralAttempts("BROKER_UNREACHABLE").get("problem").toString()).contains("cannot reach the broker");
            assertThat(logLines()).filteredOn(line -> line.contains("lost the connection to the broker")).singleElement()
                    .asString().contains(" WARN ");
            assertToldOnce("BROKER_UNREACHABLE");

            proxy.restore();
            await().atMost(ConnectorProcess.START_PATIENCE).until(connector::isConsuming);
            publishCaseOpened("after-outage");
            await().atMost(Duration.ofSeconds(30)).until(() -> connector.metric("vep_events_received_total") >= 2);
            assertThat(logLines()).filteredOn(line -> line.contains("consuming again (was BROKER_UNREACHABLE since")).hasSize(1);
            assertNoStackTraceNorRepeatedWarning();
            connector.close();
        }
    }

    private void publishCaseOpened(String caseId) throws IOException {
        vep.publish(setup.exchange(), "case.opened", "{\"eventTime\": \"2026-11-23T10:00:00Z\", \"caseId\": \"" + caseId + "\", \"agentId\": \"a\"}");
    }

    /** Waits until the connector reports the state and has retried several times since; its vepBroker details. */
    private Map<String, Object> awaitSeveralAttempts(String state) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Map<String, Object> details = connector.healthDetails("vepBroker");
            return state.equals(details.get("state")) && ((Number) details.get("attempts")).intValue() >= SEVERAL_ATTEMPTS;
        });
        Map<String, Object> details = connector.healthDetails("vepBroker");
        assertThat(details.toString()).doesNotContain(password);
        return details;
    }

    /** Exactly one log line names the state as the connector's problem. */
    private void assertToldOnce(String state) throws IOException {
        assertThat(logLines()).as("log lines telling " + state).filteredOn(line -> line.contains("not ready (" + state)).hasSize(1);
    }

    private void assertNoStackTraceNorRepeatedWarning() throws IOException {
        List<String> lines = logLines();
        assertThat(lines).as("stack trace lines").noneMatch(line -> line.startsWith("\tat ") || line.startsWith("Caused by: "));
        Map<String, Long> warnings = lines.stream().filter(line -> level(line).matches("WARN|ERROR"))
                .collect(Collectors.groupingBy(BrokerProblemsIntegrationTest::message, Collectors.counting()));
        assertThat(warnings).as("warnings and errors logged more than once").allSatisfy((message, count) -> assertThat(count).isOne());
    }

    private List<String> logLines() throws IOException {
        return Files.readAllLines(log, StandardCharsets.UTF_8);
    }

    /** The level of a line in Spring Boot's console format ({@code 2026-... WARN 123 --- [app] [thread] logger : message}). */
    private static String level(String line) {
        String[] fields = line.split("\\s+", 3);
        return fields.length < 2 ? "" : fields[1];
    }

    private static String message(String line) {
        int separator = line.indexOf(" : ");
        return separator < 0 ? line : line.substring(separator + 3);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
