package dev.vepconnector.privacy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.vepconnector.support.ConnectorTestSupport;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.RunningConnector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.client.RestClient;

/**
 * An admin erases a visitor's cases, by case id or by a value of the visitor profile: nothing of them
 * is left in the connector's database, the file sink's file is gone, the webhook receiver is told (signed
 * like every delivery), the API answers 404, events of the case still on their way are not stored, and
 * one audit line says which cases, who and when, without the personal data.
 */
@ExtendWith(OutputCaptureExtension.class)
class ErasureIntegrationTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString("a-receiver-secret-of-32-bytes!!!".getBytes(StandardCharsets.UTF_8));

    final Setup setup = Setup.unique();
    final FakeVep vep = new FakeVep();
    final Path cases = setup.dataDirectory().resolve("out").resolve("cases");
    final WireMockServer receiver = new WireMockServer(options().dynamicPort());

    @AfterEach
    void cleanUp() {
        receiver.stop();
        vep.deleteQueue(setup.queue());
        vep.deleteExchange(setup.exchange());
        vep.close();
    }

    @Test
    void erasedCasesLeaveNoTraceAndTheirSinksAreTold(CapturedOutput output) throws Exception {
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/hooks")).willReturn(aResponse().withStatus(200)));
        vep.declareExchange(setup.exchange());
        try (RunningConnector connector = RunningConnector.start(setup.arguments("--vep.sinks.file.directory=" + cases.getParent(),
                "--vep.sinks.webhook.enabled=true", "--vep.sinks.webhook.url=http://127.0.0.1:" + receiver.port() + "/hooks",
                "--vep.sinks.webhook.secret=" + SECRET, "--vep.cases.transcript-wait=1s"))) {
            await().atMost(Duration.ofSeconds(60)).until(connector::isConsuming);
            publishCase("erase-ada", "ada@example.org");
            publishCase("erase-bo", "bo@example.org");
            publishCase("keep-cy", "cy@example.org");
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(cases.resolve("erase-ada.json"))
                    && Files.exists(cases.resolve("erase-bo.json")) && Files.exists(cases.resolve("keep-cy.json")));
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.findAll(postRequestedFor(urlEqualTo("/hooks"))).size() == 3);

            JsonNode byId = JSON.readTree(admin(connector).delete().uri("/api/cases/erase-ada").retrieve().body(String.class));
            assertThat(byId.get("caseIds").toString()).isEqualTo("[\"erase-ada\"]");
            JsonNode byProfile = JSON.readTree(admin(connector).post().uri("/api/privacy/erasures")
                    .header("Content-Type", "application/json").body("{\"visitorProfile\": {\"email\": \"bo@example.org\"}}")
                    .retrieve().body(String.class));
            assertThat(byProfile.get("caseIds").toString()).isEqualTo("[\"erase-bo\"]");

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(cases.resolve("erase-ada.json")).doesNotExist();
                assertThat(cases.resolve("erase-bo.json")).doesNotExist();
                assertThat(erasureNotices()).hasSize(2);
                assertThat(rows(connector, "SELECT COUNT(*) FROM sink_delivery WHERE case_id LIKE 'erase-%'"))
                        .as("deliveries and notices, gone once the sinks were told").isZero();
            });
            assertThat(cases.resolve("keep-cy.json")).exists();
            for (LoggedRequest notice : erasureNotices()) {
                assertThat(notice.getHeader("webhook-signature")).startsWith("v1,");
                assertThat(JSON.readTree(notice.getBodyAsString()).get("type").asText()).isEqualTo("case.erased");
            }
            assertThat(rows(connector, "SELECT COUNT(*) FROM event_log WHERE entity_id LIKE 'erase-%'")).isZero();
            assertThat(rows(connector, "SELECT COUNT(*) FROM case_record WHERE case_id LIKE 'erase-%'")).isZero();
            assertThat(rows(connector, "SELECT COUNT(*) FROM case_state WHERE case_id LIKE 'erase-%'")).isZero();
            assertThat(rows(connector, "SELECT COUNT(*) FROM event_log WHERE entity_id = 'keep-cy'")).isEqualTo(4);
            assertThat(status(connector.http().get().uri("/api/cases/erase-ada"))).isEqualTo(404);
            assertThat(status(admin(connector).delete().uri("/api/cases/erase-ada"))).as("nothing left to erase").isEqualTo(404);
            assertThat(status(anonymous(connector).delete().uri("/api/cases/keep-cy"))).isEqualTo(401);

            publish("case.opened", "{\"eventTime\": \"2026-11-23T10:00:00.000Z\", \"caseId\": \"erase-ada\", \"agentId\": \"a\", \"groupId\": \"g\"}");
            publish("case.opened", "{\"eventTime\": \"2026-11-23T10:00:00.000Z\", \"caseId\": \"marker\", \"agentId\": \"a\", \"groupId\": \"g\"}");
            await().atMost(Duration.ofSeconds(30)).until(() -> rows(connector, "SELECT COUNT(*) FROM event_log WHERE entity_id = 'marker'") == 1);
            assertThat(rows(connector, "SELECT COUNT(*) FROM event_log WHERE entity_id = 'erase-ada'")).as("a late event of an erased case").isZero();
        }
        List<String> audit = output.getOut().lines().filter(line -> line.contains("vep.audit")).toList();
        assertThat(audit).anyMatch(line -> line.contains("Erased 1 case(s) [erase-ada] at the request of " + ConnectorTestSupport.ADMIN_USER));
        assertThat(audit).anyMatch(line -> line.contains("[erase-bo]") && line.contains("visitor profile keys [email]"));
        assertThat(output.getOut()).doesNotContain("bo@example.org", "ada@example.org");
    }

    private List<LoggedRequest> erasureNotices() {
        return receiver.findAll(postRequestedFor(urlEqualTo("/hooks")).withRequestBody(containing("case.erased")));
    }

    private void publishCase(String caseId, String email) throws Exception {
        publish("case.visitorProfile", """
                {"eventTime": "2026-11-23T09:00:00.000Z", "caseId": "%s", "profile": {"email": "%s"}}""".formatted(caseId, email));
        publish("case.opened", """
                {"eventTime": "2026-11-23T09:01:00.000Z", "caseId": "%s", "agentId": "a", "groupId": "g"}""".formatted(caseId));
        publish("case.closed", """
                {"eventTime": "2026-11-23T09:05:00.000Z", "caseId": "%s", "outcome": "positive"}""".formatted(caseId));
        publish("case.transcriptClosed", """
                {"eventTime": "2026-11-23T09:05:01.000Z", "caseId": "%s", "transcript": {"messages": [{"eventTime": "2026-11-23T09:02:00.000Z",
                 "speaker": {"visitorId": "v"}, "messageType": "chat", "message": "Hello, I am %s"}]}}""".formatted(caseId, email));
    }

    private void publish(String routingKey, String body) throws Exception {
        vep.publish(setup.exchange(), routingKey, body);
    }

    private static long rows(RunningConnector connector, String sql) {
        Long count = connector.jdbc().queryForObject(sql, Long.class);
        return count == null ? 0 : count;
    }

    private static RestClient admin(RunningConnector connector) {
        return connector.http();
    }

    private static RestClient anonymous(RunningConnector connector) {
        return RestClient.create(connector.baseUrl());
    }

    private static int status(RestClient.RequestHeadersSpec<?> request) {
        return request.exchange((req, response) -> response.getStatusCode().value());
    }
}
