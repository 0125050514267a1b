package dev.vepconnector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vepconnector.broker.EmbeddedAmqpBroker;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.RunningConnector;
import dev.vepconnector.support.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The production profile talks to the broker over TLS only, verifying the server against the CA in
 * its SSL bundle. The broker here is an embedded one with a TLS listener whose certificate is
 * signed by a test CA ({@code src/test/resources/tls}).
 */
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class ProductionProfileIntegrationTest {

    static EmbeddedAmqpBroker broker;
    final Setup setup = Setup.unique();
    final String database = "vep_test_tls_" + Long.toHexString(System.nanoTime());

    @BeforeAll
    static void startTlsBroker() {
        broker = EmbeddedAmqpBroker.start(0, new EmbeddedAmqpBroker.TlsKeyStore(Path.of("src/test/resources/tls/server.p12"), "changeit"));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private String[] productionArguments(String trustedCa, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.profiles.active=production",
                "--management.server.port=0",
                "--spring.rabbitmq.host=localhost",
                "--spring.rabbitmq.port=" + broker.tlsPort(),
                "--spring.ssl.bundle.pem.vep-broker.truststore.certificate=classpath:tls/" + trustedCa));
        TestDatabase.createPostgres(database).forEach((key, value) -> args.add("--" + key + "=" + value));
        args.addAll(List.of(extra));
        return setup.arguments(args.toArray(String[]::new));
    }

    @Test
    void refusesToStartWithoutTls() {
        assertThatThrownBy(() -> RunningConnector.start(productionArguments("ca.crt", "--spring.rabbitmq.ssl.enabled=false")).close())
                .hasStackTraceContaining("The production profile requires TLS to the broker")
                .hasStackTraceContaining("spring.rabbitmq.ssl.enabled must be true");
    }

    @Test
    void refusesToStartWithoutAConfiguredCa() {
        assertThatThrownBy(() -> RunningConnector.start(productionArguments("ca.crt", "--spring.rabbitmq.ssl.bundle=")).close())
                .hasStackTraceContaining("spring.rabbitmq.ssl.bundle must name an SSL bundle");
    }

    @Test
    void refusesToStartOnTheEmbeddedDatabase() {
        assertThatThrownBy(() -> RunningConnector.start(productionArguments("ca.crt",
                "--spring.datasource.url=jdbc:h2:mem:x", "--spring.datasource.username=sa")).close())
                .hasStackTraceContaining("spring.datasource.url must point at PostgreSQL");
    }

    @Test
    void writesOneJsonObjectPerLogLine(org.springframework.boot.test.system.CapturedOutput output) throws Exception {
        try (FakeVep vep = new FakeVep("127.0.0.1", broker.port())) {
            vep.declareExchange(setup.exchange());
            try (RunningConnector connector = RunningConnector.start(productionArguments("ca.crt"))) {
                await().atMost(Duration.ofSeconds(30)).until(connector::isConsuming);
            }
        }
        // Output is captured JVM-wide: another test's connector may log its own binding meanwhile.
        String line = output.getOut().lines().filter(l -> l.contains("Queue '" + setup.queue() + "'") && l.contains("bound to exchange"))
                .findFirst().orElseThrow();
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
        assertThat(json.at("/log/level").asText()).isEqualTo("INFO");
        assertThat(json.get("message").asText()).startsWith("Queue '" + setup.queue() + "'");
    }

    @Test
    void refusesABrokerCertificateItsCaDidNotSign() {
        try (RunningConnector connector = RunningConnector.start(productionArguments("other-ca.crt"))) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(String.valueOf(connector.health("vepBroker").get("details")))
                            .contains("TLS_FAILED", "TLS with the broker", "PKIX", "spring.rabbitmq.ssl"));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> !connector.isConsuming());
        }
    }

    @Test
    void consumesOverTlsFromABrokerItsCaSigned() throws Exception {
        try (FakeVep vep = new FakeVep("127.0.0.1", broker.port())) {
            vep.declareExchange(setup.exchange());
            try (RunningConnector connector = RunningConnector.start(productionArguments("ca.crt"))) {
                await().atMost(Duration.ofSeconds(30)).until(connector::isConsuming);
                vep.publish(setup.exchange(), "case.opened", "{\"caseId\": \"over-tls\", \"agentId\": \"a\"}");
                await().atMost(Duration.ofSeconds(30)).until(() -> connector.jdbc()
                        .queryForObject("SELECT COUNT(*) FROM event_log WHERE entity_id = 'over-tls'", Long.class) == 1);
            }
        }
    }
}
