package dev.vepconnector.sinks.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.vepconnector.support.CaseRecordSchema;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.RunningConnector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook sink against a WireMock receiver, as a receiving team would check it: signatures verify
 * with their secret, retries come spaced out, refusals go to dead letters with the receiver's answer, a
 * receiver down for a while gets every revision exactly once when back, and TLS verifies the receiver.
 */
class WebhookSinkIntegrationTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final byte[] KEY = "a-receiver-secret-of-32-bytes!!!".getBytes(StandardCharsets.UTF_8);
    static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(KEY);
    static final String OLD_SECRET = "plain-old-secret";

    final Setup setup = Setup.unique();
    final FakeVep vep = new FakeVep();
    final Path out = setup.dataDirectory().resolve("out");
    WireMockServer receiver = new WireMockServer(options().dynamicPort());
    RunningConnector connector;
    int receiverPort;

    @BeforeEach
    void setUp() throws Exception {
        receiver.start();
        receiverPort = receiver.port();
        vep.declareExchange(setup.exchange());
    }

    @AfterEach
    void tearDown() {
        if (connector != null) {
            connector.close();
        }
        receiver.stop();
        vep.deleteQueue(setup.queue());
        vep.deleteExchange(setup.exchange());
        vep.close();
    }

    @Test
    void eachRecordIsPostedWithStandardWebhookHeadersAndASignatureTheReceiverVerifies() throws Exception {
        receiver.stubFor(post(urlEqualTo("/hooks/vep")).willReturn(aResponse().withStatus(204)));
        start("--vep.sinks.webhook.secret=" + SECRET + " " + OLD_SECRET, "--vep.sinks.webhook.headers.X-Api-Key=key-42");
        publishClosedCase("hook-1", "09:00:00");

        LoggedRequest request = awaitRequests(1).get(0);
        String id = request.getHeader("webhook-id");
        String timestamp = request.getHeader("webhook-timestamp");
        assertThat(id).isEqualTo("hook-1:1");
        assertThat(Long.parseLong(timestamp)).isBetween(Instant.now().getEpochSecond() - 60, Instant.now().getEpochSecond() + 5);
        assertThat(request.getHeader("X-Api-Key")).isEqualTo("key-42");
        assertThat(request.getHeader("Content-Type")).startsWith("application/json");
        String[] signatures = request.getHeader("webhook-signature").split(" ");
        assertThat(signatures).containsExactly(
                "v1," + hmac(KEY, id + "." + timestamp + "." + request.getBodyAsString()),
                "v1," + hmac(OLD_SECRET.getBytes(StandardCharsets.UTF_8), id + "." + timestamp + "." + request.getBodyAsString()));
        JsonNode record = JSON.readTree(request.getBody());
        assertThat(record.get("caseId").asText()).isEqualTo("hook-1");
        assertThat(CaseRecordSchema.violations(record)).isEmpty();
        assertThat(hmac("wrong-secret".getBytes(StandardCharsets.UTF_8), id + "." + timestamp + "." + request.getBodyAsString()))
                .isNotEqualTo(signatures[0].substring(3));
    }

    @Test
    void serverErrorsAndThrottlingAreRetriedWithBackoffAndRetryAfterHonoured() throws Exception {
        receiver.stubFor(post(urlEqualTo("/hooks/vep")).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
        receiver.stubFor(post(urlEqualTo("/hooks/vep")).inScenario("flaky").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(500)).willSetStateTo("third"));
        receiver.stubFor(post(urlEqualTo("/hooks/vep")).inScenario("flaky").whenScenarioStateIs("third")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")).willSetStateTo("ok"));
        receiver.stubFor(post(urlEqualTo("/hooks/vep")).inScenario("flaky").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200)));
        start("--vep.sinks.webhook.retry.initial-backoff=300ms", "--vep.sinks.webhook.retry.multiplier=2",
                "--vep.sinks.webhook.retry.jitter=0");
        publishClosedCase("flaky-1", "09:00:00");

        List<LoggedRequest> requests = awaitRequests(4);
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < requests.size(); i++) {
            gaps.add(requests.get(i).getLoggedDate().getTime() - requests.get(i - 1).getLoggedDate().getTime());
        }
        // Lower bounds only: a retry never comes before its backoff, however slow the machine; how much later is load.
        assertThat(gaps.get(0)).as("first backoff").isGreaterThanOrEqualTo(280L);
        assertThat(gaps.get(1)).as("doubled").isGreaterThanOrEqualTo(580L);
        assertThat(gaps.get(2)).as("Retry-After: 2").isGreaterThanOrEqualTo(1_950L);
        assertThat(requests).extracting(r -> r.getHeader("webhook-id")).containsOnly("flaky-1:1");
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("vep_sink_delivered_total") == 1.0);
        assertThat(metric("vep_sink_retried_total")).isEqualTo(3.0);
    }

    @Test
    void aRefusalGoesToDeadLettersWithTheReceiversAnswer() throws Exception {
        receiver.stubFor(post(urlEqualTo("/hooks/vep")).willReturn(aResponse().withStatus(422).withBody("{\"error\":\"unknown case type\"}")));
        start();
        publishClosedCase("refused-1", "09:00:00");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(deadLetters()).hasSize(1));
        Map<String, Object> dead = deadLetters().get(0);
        assertThat((String) dead.get("lastError")).contains("HTTP 422", "unknown case type");
        assertThat(dead.get("attempts")).isEqualTo(1);
        assertThat(receiver.findAll(postRequestedFor(urlEqualTo("/hooks/vep")))).hasSize(1);
    }

    @Test
    void aReceiverDownForAWhileGetsEveryRevisionOnceWhenBackAndTheFileSinkIsNotDelayed() throws Exception {
        int port = receiver.port();
        receiver.stop();
        start("--vep.sinks.webhook.retry.initial-backoff=200ms", "--vep.sinks.webhook.retry.max-backoff=500ms",
                "--vep.sinks.webhook.retry.max-attempts=1000");
        for (int i = 0; i < 20; i++) {
            publishClosedCase("down-" + i, "09:%02d:00".formatted(i));
        }
        // The file sink delivers everything while the webhook receiver is unreachable.
        await().atMost(Duration.ofSeconds(20)).until(() -> filesWritten() == 20);
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("vep_sink_failed_total") > 0);

        receiver = new WireMockServer(options().port(port));
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/hooks/vep")).willReturn(aResponse().withStatus(200)));
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.findAll(postRequestedFor(urlEqualTo("/hooks/vep"))).size() >= 20);
        await().atMost(Duration.ofSeconds(5)).until(() -> metric("vep_sink_delivered_total") == 20.0);
        Map<String, Long> perId = receiver.findAll(postRequestedFor(urlEqualTo("/hooks/vep"))).stream()
                .collect(Collectors.groupingBy(r -> r.getHeader("webhook-id"), Collectors.counting()));
        assertThat(perId).hasSize(20).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1L));
    }

    @Test
    void tlsVerifiesTheReceiver() throws Exception {
        receiver.stop();
        receiver = new WireMockServer(options().dynamicPort().dynamicHttpsPort()
                .keystorePath(Path.of("src/test/resources/tls/server.p12").toAbsolutePath().toString())
                .keystorePassword("changeit").keyManagerPassword("changeit").keystoreType("PKCS12"));
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/hooks/vep")).willReturn(aResponse().withStatus(200)));
        String url = "--vep.sinks.webhook.url=https://localhost:" + receiver.httpsPort() + "/hooks/vep";

        start(url, "--vep.sinks.webhook.retry.max-attempts=1");
        publishClosedCase("tls-untrusted", "09:00:00");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(deadLetters()).hasSize(1));
        assertThat((String) deadLetters().get(0).get("lastError")).containsIgnoringCase("SSL");
        assertThat(receiver.findAll(postRequestedFor(urlEqualTo("/hooks/vep")))).isEmpty();
        connector.close();

        start(url, "--vep.sinks.webhook.ssl-bundle=webhook-receivers",
                "--spring.ssl.bundle.pem.webhook-receivers.truststore.certificate=classpath:tls/ca.crt");
        assertThat(replayAll()).containsEntry("replayed", 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.findAll(postRequestedFor(urlEqualTo("/hooks/vep"))).size() == 1);
    }

    // --- helpers -------------------------------------------------------------------------------

    private void start(String... extra) {
        List<String> args = new ArrayList<>(List.of("--vep.sinks.webhook.enabled=true",
                "--vep.sinks.webhook.url=http://127.0.0.1:" + receiverPort + "/hooks/vep",
                "--vep.sinks.file.directory=" + out));
        args.addAll(List.of(extra));
        connector = RunningConnector.start(setup.arguments(args.toArray(String[]::new)));
        await().atMost(Duration.ofSeconds(30)).until(connector::isConsuming);
    }

    private List<LoggedRequest> awaitRequests(int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.findAll(postRequestedFor(urlEqualTo("/hooks/vep"))).size() >= count);
        return receiver.findAll(postRequestedFor(urlEqualTo("/hooks/vep")));
    }

    private void publishClosedCase(String caseId, String time) throws Exception {
        publish("case.opened", """
                {"eventTime": "2026-11-23T%s.000Z", "caseId": "%s", "agentId": "agent-1", "groupId": "group-1"}""".formatted(time, caseId));
        publish("case.closed", """
                {"eventTime": "2026-11-23T%s.100Z", "caseId": "%s", "outcome": "positive"}""".formatted(time, caseId));
        publish("case.transcriptClosed", """
                {"eventTime": "2026-11-23T%s.200Z", "caseId": "%s", "transcript": {"messages": [
                  {"eventTime": "2026-11-23T%s.050Z", "speaker": {"visitorId": "v"}, "messageType": "chat", "message": "Hej då"}]}}"""
                .formatted(time, caseId, time));
    }

    private void publish(String key, String body) throws Exception {
        vep.publish(setup.exchange(), key, body);
    }

    private long filesWritten() throws java.io.IOException {
        Path cases = out.resolve("cases");
        if (!Files.isDirectory(cases)) {
            return 0;
        }
        try (var files = Files.list(cases)) {
            return files.count();
        }
    }

    private double metric(String name) {
        String text = connector.management().get().uri("/actuator/prometheus").retrieve().body(String.class);
        return text.lines().filter(l -> l.startsWith(name + "{") && l.contains("sink=\"webhook\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> deadLetters() {
        return connector.http().get().uri("/api/sinks/webhook/dead-letters").retrieve().body(List.class);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> replayAll() {
        return connector.http().post().uri("/api/sinks/webhook/dead-letters/replay").retrieve().body(Map.class);
    }

    /** The receiver's side of Standard Webhooks, written independently of the sink. */
    private static String hmac(byte[] key, String signed) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }
}
