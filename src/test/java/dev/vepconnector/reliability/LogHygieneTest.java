package dev.vepconnector.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.vepconnector.support.ConnectorProcess;
import dev.vepconnector.support.ConnectorTestSupport;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A full run with debug logging, secrets and visitor profiles that carry canary values: cases with
 * profiles, a profile that is dead-lettered, webhook deliveries that fail and are retried, the simulator's
 * traffic, admin calls. Not one log line may contain a canary.
 */
class LogHygieneTest {

    static final String WEBHOOK_KEY = "canary-webhook-secret-0123456789";
    static final List<String> CANARIES = List.of(
            WEBHOOK_KEY, Base64.getEncoder().encodeToString(WEBHOOK_KEY.getBytes(StandardCharsets.UTF_8)),
            ConnectorTestSupport.ADMIN_PASSWORD, "canary-viewer-password", "canary-api-key",
            "canary.visitor@example.org", "CANARY-ORDER-4711", "Canary Visitorsson", "+46 70 000 47 11");

    final Setup setup = Setup.unique();
    final FakeVep vep = new FakeVep();
    final WireMockServer receiver = new WireMockServer(options().dynamicPort());
    ConnectorProcess connector;

    @AfterEach
    void cleanUp() {
        if (connector != null) {
            connector.close();
        }
        receiver.stop();
        vep.deleteQueue(setup.queue());
        vep.deleteExchange(setup.exchange());
        vep.deleteExchange(setup.integrationExchange());
        vep.close();
    }

    @Test
    void noLogLineHoldsASecretOrAVisitorProfileValue() throws Exception {
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/hooks")).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503).withBody("busy")).willSetStateTo("ok"));
        receiver.stubFor(post(urlEqualTo("/hooks")).inScenario("flaky").whenScenarioStateIs("ok").willReturn(aResponse().withStatus(200)));
        Path log = setup.dataDirectory().resolve("connector.log");
        connector = ConnectorProcess.start(log, setup.arguments(
                "--spring.profiles.active=simulator", "--vep.simulator.cases=30", "--vep.simulator.rate=0", "--vep.cases.transcript-wait=1s",
                "--logging.level.dev.vepconnector=DEBUG", "--logging.level.org.apache.camel=DEBUG",
                "--vep.security.viewer.username=viewer", "--vep.security.viewer.password=canary-viewer-password",
                "--vep.sinks.webhook.enabled=true", "--vep.sinks.webhook.url=http://127.0.0.1:" + receiver.port() + "/hooks",
                "--vep.sinks.webhook.secret=whsec_" + Base64.getEncoder().encodeToString(WEBHOOK_KEY.getBytes(StandardCharsets.UTF_8)),
                "--vep.sinks.webhook.headers.X-Api-Key=canary-api-key", "--vep.sinks.webhook.retry.initial-backoff=100ms",
                "--vep.sinks.file.directory=" + setup.dataDirectory().resolve("out")));
        await().atMost(ConnectorProcess.START_PATIENCE).until(connector::isConsuming);

        String profile = """
                {"name": "Canary Visitorsson", "email": "canary.visitor@example.org", "orderNo": "CANARY-ORDER-4711",
                 "phone": "+46 70 000 47 11"}""";
        publish("case.visitorProfile", """
                {"eventTime": "2026-11-23T09:00:00.000Z", "caseId": "canary-case", "profile": %s}""".formatted(profile));
        publish("case.opened", """
                {"eventTime": "2026-11-23T09:00:01.000Z", "caseId": "canary-case", "agentId": "a", "groupId": "g"}""");
        publish("case.closed", """
                {"eventTime": "2026-11-23T09:00:02.000Z", "caseId": "canary-case", "outcome": "positive"}""");
        publish("case.transcriptClosed", """
                {"eventTime": "2026-11-23T09:00:03.000Z", "caseId": "canary-case", "transcript": {"messages": [
                  {"messageType": "chat", "speaker": {"visitorId": "v"}, "message": "my email is canary.visitor@example.org"}]}}""");
        // Malformed in several ways, so the reader's error messages would quote them if they could.
        publish("case.visitorProfile", """
                {"caseId": "canary-bad", "profile": {"email": CANARY-ORDER-4711}}""");
        publish("case.visitorProfile", """
                {"caseId": "canary-bad-2", "profile": "Canary Visitorsson"}""");
        publish("case.closed", """
                {"caseId": "canary-bad-3", "outcome": "canary.visitor@example.org"}""");

        await().atMost(Duration.ofSeconds(60)).until(() -> connector.metric("vep_sink_delivered_total") >= 31);
        await().atMost(Duration.ofSeconds(20)).until(() -> connector.metric("vep_events_rejected_total") >= 3);
        connector.http().post().uri("/api/config/agents/collect").retrieve().toBodilessEntity();
        connector.http().post().uri("/api/sinks/webhook/dead-letters/replay").retrieve().toBodilessEntity();
        connector.close();

        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertThat(lines).hasSizeGreaterThan(100);
        for (String canary : CANARIES) {
            assertThat(lines).as("log lines holding " + canary).noneMatch(line -> line.contains(canary));
        }
        System.out.printf("[figures] log hygiene: %d log lines scanned (debug level), %d canaries, 0 found%n", lines.size(), CANARIES.size());
    }

    private void publish(String key, String body) throws Exception {
        vep.publish(setup.exchange(), key, body);
    }
}
