package dev.vepconnector.retention;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.vepconnector.support.CaseRecordSchema;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.RunningConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Retention as an operator sets it: what is due goes, in the background, while what a sink has not
 * delivered, what an open case needs, the configuration caches and the group state stay; a case reopened
 * after its events went still gets a complete next revision.
 */
class RetentionIntegrationTest {

    static final ObjectMapper JSON = new ObjectMapper();

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
    void whatIsDueIsPurgedAndWhatASinkOrAnOpenCaseStillNeedsIsKept() throws Exception {
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/hooks")).willReturn(aResponse().withStatus(200)));
        receiver.stubFor(post(urlEqualTo("/hooks")).withRequestBody(containing("held-case")).willReturn(aResponse().withStatus(503)));
        vep.declareExchange(setup.exchange());
        try (RunningConnector connector = RunningConnector.start(setup.arguments("--vep.sinks.file.directory=" + cases.getParent(),
                "--vep.sinks.webhook.enabled=true", "--vep.sinks.webhook.url=http://127.0.0.1:" + receiver.port() + "/hooks",
                "--vep.sinks.webhook.retry.max-attempts=100000", "--vep.sinks.webhook.retry.initial-backoff=200ms",
                "--vep.sinks.webhook.retry.max-backoff=500ms", "--vep.cases.transcript-wait=1s",
                "--vep.retention.events=2s", "--vep.retention.group-events=2s", "--vep.retention.case-records=3s",
                "--vep.retention.dead-letters=2s", "--vep.retention.purge-interval=200ms", "--vep.retention.stats-interval=200ms"))) {
            await().atMost(Duration.ofSeconds(60)).until(connector::isConsuming);
            publish("configuration.agent", """
                    {"eventTime": "2026-11-23T08:00:00.000Z", "agentId": "ada", "name": "Ada Berg"}""");
            publish("group.loadChanged", """
                    {"eventTime": "2026-11-23T08:00:00.000Z", "groupId": "billing", "numberOfVisitorsInQueue": 3}""");
            publish("case.closed", "this is not JSON");
            publishCase("done-case", "ada", "positive", "Hello");
            publishCase("held-case", "ada", "positive", "Hello");
            publish("case.created", """
                    {"eventTime": "2026-11-23T09:00:00.000Z", "caseId": "open-case", "caseTypeId": "orders"}""");
            publish("case.opened", """
                    {"eventTime": "2026-11-23T09:01:00.000Z", "caseId": "open-case", "agentId": "ada", "groupId": "billing"}""");
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(cases.resolve("done-case.json"))
                    && Files.exists(cases.resolve("held-case.json")));

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(rows(connector, "SELECT COUNT(*) FROM event_log WHERE entity_id = 'done-case'")).as("a delivered case's events").isZero();
                assertThat(rows(connector, "SELECT COUNT(*) FROM case_record WHERE case_id = 'done-case'")).as("its record").isZero();
                assertThat(rows(connector, "SELECT COUNT(*) FROM sink_delivery WHERE case_id = 'done-case'")).as("its deliveries").isZero();
                assertThat(rows(connector, "SELECT COUNT(*) FROM event_log WHERE routing_key NOT LIKE 'case.%'"))
                        .as("group and configuration events").isZero();
                assertThat(rows(connector, "SELECT COUNT(*) FROM dead_letter")).as("the rejected message").isZero();
            });
            assertThat(cases.resolve("done-case.json")).as("what the file sink wrote is the sink's").exists();
            assertThat(status(connector, "/api/cases/done-case")).isEqualTo(404);
            assertThat(rows(connector, "SELECT COUNT(*) FROM event_log WHERE entity_id = 'held-case'"))
                    .as("the events of a case the webhook has not delivered, kept past their retention").isEqualTo(4);
            assertThat(rows(connector, "SELECT COUNT(*) FROM case_record WHERE case_id = 'held-case'")).as("its record").isEqualTo(1);
            assertThat(rows(connector, "SELECT COUNT(*) FROM event_log WHERE entity_id = 'open-case'")).as("an open case's events").isEqualTo(2);
            JsonNode groups = JSON.readTree(connector.http().get().uri("/api/groups").retrieve().body(String.class));
            assertThat(groups.findValuesAsText("groupId")).as("the group state").contains("billing");
            assertThat(rows(connector, "SELECT COUNT(*) FROM configured_entity WHERE id = 'ada'")).as("the configuration cache").isEqualTo(1);

            receiver.resetAll();
            receiver.stubFor(post(urlEqualTo("/hooks")).willReturn(aResponse().withStatus(200)));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(rows(connector, "SELECT COUNT(*) FROM event_log WHERE entity_id = 'held-case'")).as("delivered at last").isZero();
                assertThat(rows(connector, "SELECT COUNT(*) FROM case_record WHERE case_id = 'held-case'")).isZero();
            });
            assertThat(rows(connector, "SELECT COUNT(*) FROM event_log WHERE entity_id = 'open-case'")).isEqualTo(2);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                String metrics = prometheus(connector);
                assertThat(metric(metrics, "vep_retention_purged_total{application=\"vep-connector\",class=\"events\"}")).isEqualTo(8);
                assertThat(metric(metrics, "vep_retention_purged_total{application=\"vep-connector\",class=\"case-records\"}")).isEqualTo(2);
                assertThat(metric(metrics, "vep_retention_purged_total{application=\"vep-connector\",class=\"dead-letters\"}")).isEqualTo(1);
                assertThat(metric(metrics, "vep_storage_rows{application=\"vep-connector\",class=\"events\"}")).isEqualTo(2);
                assertThat(metric(metrics, "vep_storage_bytes{application=\"vep-connector\",class=\"events\"}")).isPositive();
                assertThat(metric(metrics, "vep_storage_oldest_age_seconds{application=\"vep-connector\",class=\"events\"}")).isPositive();
                assertThat(metric(metrics, "vep_storage_database_bytes{application=\"vep-connector\"}")).isPositive();
            });
        }
    }

    @Test
    void aCaseReopenedAfterItsEventsWerePurgedGetsACompleteNextRevision() throws Exception {
        vep.declareExchange(setup.exchange());
        try (RunningConnector connector = RunningConnector.start(setup.arguments("--vep.sinks.file.directory=" + cases.getParent(),
                "--vep.cases.transcript-wait=1s", "--vep.retention.events=1s", "--vep.retention.case-records=1h",
                "--vep.retention.purge-interval=200ms"))) {
            await().atMost(Duration.ofSeconds(60)).until(connector::isConsuming);
            publish("case.created", """
                    {"eventTime": "2026-11-23T09:00:00.000Z", "caseId": "reopened", "caseTypeId": "orders"}""");
            publish("case.visitorProfile", """
                    {"eventTime": "2026-11-23T09:00:01.000Z", "caseId": "reopened", "profile": {"email": "v@example.org"}}""");
            publishCase("reopened", "ada", "unresolved", "First");
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(cases.resolve("reopened.json")));
            await().atMost(Duration.ofSeconds(60)).until(() -> rows(connector, "SELECT COUNT(*) FROM event_log WHERE entity_id = 'reopened'") == 0);

            publish("case.opened", """
                    {"eventTime": "2026-11-24T08:01:00.000Z", "caseId": "reopened", "agentId": "bo", "groupId": "orders"}""");
            publish("case.closed", """
                    {"eventTime": "2026-11-24T08:05:00.000Z", "caseId": "reopened", "outcome": "positive"}""");
            publish("case.transcriptClosed", """
                    {"eventTime": "2026-11-24T08:05:01.000Z", "caseId": "reopened", "transcript": {"messages": [{"eventTime": "2026-11-24T08:02:00.000Z",
                     "speaker": {"visitorId": "v"}, "messageType": "chat", "message": "Second"}]}}""");
            await().atMost(Duration.ofSeconds(60)).until(() -> JSON.readTree(cases.resolve("reopened.json").toFile()).get("revision").asInt() == 2);

            JsonNode record = JSON.readTree(cases.resolve("reopened.json").toFile());
            assertThat(record.get("createdAt").asText()).isEqualTo("2026-11-23T09:00:00.000Z");
            assertThat(record.get("caseType").get("id").asText()).isEqualTo("orders");
            assertThat(record.get("visitorProfile").get("email").asText()).isEqualTo("v@example.org");
            assertThat(record.get("assignments").findValuesAsText("id")).containsExactly("ada", "g", "bo", "orders");
            assertThat(record.get("transcript").get("messages").findValuesAsText("message")).containsExactly("First", "Second");
            assertThat(record.get("outcome").asText()).isEqualTo("positive");
            assertThat(record.get("events")).hasSize(9);
            assertThat(CaseRecordSchema.violations(record)).isEmpty();
        }
    }

    private void publishCase(String caseId, String agentId, String outcome, String message) throws Exception {
        publish("case.opened", """
                {"eventTime": "2026-11-23T09:01:00.000Z", "caseId": "%s", "agentId": "%s", "groupId": "g"}""".formatted(caseId, agentId));
        publish("case.visitorProfile", """
                {"eventTime": "2026-11-23T09:02:00.000Z", "caseId": "%s", "profile": {"orderNo": "A-1"}}""".formatted(caseId));
        publish("case.closed", """
                {"eventTime": "2026-11-23T09:05:00.000Z", "caseId": "%s", "outcome": "%s"}""".formatted(caseId, outcome));
        publish("case.transcriptClosed", """
                {"eventTime": "2026-11-23T09:05:01.000Z", "caseId": "%s", "transcript": {"messages": [{"eventTime": "2026-11-23T09:02:00.000Z",
                 "speaker": {"visitorId": "v"}, "messageType": "chat", "message": "%s"}]}}""".formatted(caseId, message));
    }

    private void publish(String routingKey, String body) throws Exception {
        vep.publish(setup.exchange(), routingKey, body);
    }

    private static long rows(RunningConnector connector, String sql) {
        Long count = connector.jdbc().queryForObject(sql, Long.class);
        return count == null ? 0 : count;
    }

    private static int status(RunningConnector connector, String path) {
        return connector.http().get().uri(path).exchange((req, response) -> response.getStatusCode().value());
    }

    private static String prometheus(RunningConnector connector) {
        return connector.management().get().uri("/actuator/prometheus").retrieve().body(String.class);
    }

    private static double metric(String metrics, String series) {
        return metrics.lines().filter(line -> line.startsWith(series + " ")).mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(-1);
    }
}
