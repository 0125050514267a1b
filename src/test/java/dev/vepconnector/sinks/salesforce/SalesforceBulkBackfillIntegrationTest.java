package dev.vepconnector.sinks.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.RunningConnector;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * Backfills of the Salesforce sink against a fake Salesforce (OAuth, Composite, the Bulk API 2.0 job lifecycle):
 * a small one goes record by record through the Composite API; one above {@code bulk-backfill-above} is one
 * Bulk upsert job of Case by VEP_Case_Id__c (create, upload, close, poll, results), whose CSV holds the mapped
 * Case fields, and the row Salesforce refuses is one of the sink's dead letters with Salesforce's error, which
 * a replay delivers through the Composite API.
 */
class SalesforceBulkBackfillIntegrationTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String CASE_URL = "/services/data/v62.0/sobjects/Case/VEP_Case_Id__c/";

    final Setup setup = Setup.unique();
    final FakeVep vep = new FakeVep();
    final FakeSalesforce salesforce = new FakeSalesforce();
    RunningConnector connector;

    @BeforeEach
    void setUp() throws Exception {
        vep.declareExchange(setup.exchange());
    }

    @AfterEach
    void tearDown() {
        if (connector != null) {
            connector.close();
        }
        salesforce.close();
        vep.deleteQueue(setup.queue());
        vep.deleteExchange(setup.exchange());
        vep.close();
    }

    @Test
    void aLargeBackfillIsOneBulkUpsertJobOfTheMappedCasesAndTheRowSalesforceRefusesIsADeadLetterReplayedByComposite() throws Exception {
        start("--vep.sinks.salesforce.bulk-backfill-above=5", "--vep.sinks.salesforce.transcript.field-length=1000");
        for (int i = 0; i < 3; i++) {
            publishCase("bulk-" + i, i);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> composites().size() == 3);
        Instant from = emittedAt("MIN").minusMillis(1);
        Instant third = emittedAt("MAX").plusNanos(1000);
        for (int i = 3; i < 12; i++) {
            publishCase("bulk-" + i, i);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> composites().size() == 12);
        Instant to = emittedAt("MAX").plusNanos(1000);

        // Three cases: below the threshold, record by record.
        JsonNode small = backfill(from, third);
        assertThat(small.get("mode").asText()).isEqualTo("records");
        assertThat(awaitFinished(small.get("id").asLong()).get("delivered").asLong()).isEqualTo(3);
        assertThat(composites()).hasSize(15);
        assertThat(salesforce.bulk().requests("POST", FakeBulkApi.INGEST)).isEmpty();

        salesforce.bulk().refuse("bulk-7");
        JsonNode large = backfill(from, to);
        assertThat(large.get("mode").asText()).isEqualTo("bulk");
        assertThat(large.get("cases").asLong()).isEqualTo(12);
        JsonNode finished = awaitFinished(large.get("id").asLong());
        assertThat(finished.get("queued").asLong()).isEqualTo(12);
        assertThat(finished.get("delivered").asLong()).isEqualTo(11);
        assertThat(finished.get("dead").asLong()).isEqualTo(1);
        assertThat(composites()).as("one Composite call, for the transcript over its field").hasSize(16);
        assertThat(composites().get(15).path("compositeRequest").findValuesAsText("url")).contains(CASE_URL + "bulk-11");
        assertThat(salesforce.records("ContentVersion")).as("its file, attached once").singleElement()
                .satisfies(file -> assertThat(file.get("VEP_Transcript_Key__c").asText()).startsWith("bulk-11:"));

        List<LoggedRequest> created = salesforce.bulk().requests("POST", FakeBulkApi.INGEST);
        assertThat(created).hasSize(1);
        JsonNode job = JSON.readTree(created.get(0).getBodyAsString());
        assertThat(job.get("object").asText()).isEqualTo("Case");
        assertThat(job.get("externalIdFieldName").asText()).isEqualTo("VEP_Case_Id__c");
        assertThat(job.get("operation").asText()).isEqualTo("upsert");
        assertThat(job.get("contentType").asText()).isEqualTo("CSV");
        assertThat(job.get("lineEnding").asText()).isEqualTo("LF");
        List<LoggedRequest> uploads = salesforce.bulk().requests("PUT", FakeBulkApi.INGEST + "/[^/]+/batches");
        assertThat(uploads).hasSize(1);
        assertThat(uploads.get(0).getHeader("Content-Type")).startsWith("text/csv");
        assertTheCsvHoldsTheMappedCases(uploads.get(0).getBodyAsString());
        List<LoggedRequest> closes = salesforce.bulk().requests("PATCH", FakeBulkApi.INGEST + "/[^/]+");
        assertThat(closes).hasSize(1);
        assertThat(JSON.readTree(closes.get(0).getBodyAsString()).get("state").asText()).isEqualTo("UploadComplete");
        assertThat(salesforce.bulk().requests("GET", FakeBulkApi.INGEST + "/[^/]+").size()).as("looked at until complete").isGreaterThanOrEqualTo(2);
        assertThat(salesforce.bulk().requests("GET", FakeBulkApi.INGEST + "/[^/]+/successfulResults")).hasSize(1);
        assertThat(salesforce.bulk().requests("GET", FakeBulkApi.INGEST + "/[^/]+/failedResults")).hasSize(1);

        List<Map<String, Object>> dead = deadLetters();
        assertThat(dead).singleElement().satisfies(letter -> {
            assertThat(letter.get("caseId")).isEqualTo("bulk-7");
            assertThat((String) letter.get("lastError")).contains("Bulk API job 750000000000", FakeBulkApi.VALIDATION_ERROR);
        });
        connector.http().post().uri("/api/sinks/salesforce/dead-letters/replay").retrieve().toBodilessEntity();
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters().isEmpty() && composites().size() == 17);
        assertThat(composites().stream().filter(c -> c.path("compositeRequest").findValuesAsText("url").stream()
                .anyMatch(url -> url.endsWith("/sobjects/Case/VEP_Case_Id__c/bulk-7")))).as("live, then replayed").hasSize(2);
        assertThat(salesforce.record("Case", "VEP_Case_Id__c", "bulk-3")).get().satisfies(c -> assertThat(c.get("Status").asText()).isEqualTo("Closed"));
    }

    @Test
    void theRecordsOfAJobSalesforceFailsAsAWholeGoThroughTheCompositeApi() throws Exception {
        start("--vep.sinks.salesforce.bulk-backfill-above=0");
        for (int i = 0; i < 4; i++) {
            publishCase("failed-job-" + i, i);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> composites().size() == 4);
        salesforce.bulk().failJobs("InvalidBatch : Field name not found : VEP_Handle_Time_Ms__c");

        JsonNode backfill = backfill(emittedAt("MIN").minusMillis(1), emittedAt("MAX").plusNanos(1000));
        assertThat(backfill.get("mode").asText()).isEqualTo("bulk");
        JsonNode finished = awaitFinished(backfill.get("id").asLong());
        assertThat(finished.get("delivered").asLong()).isEqualTo(4);
        assertThat(salesforce.bulk().requests("PUT", FakeBulkApi.INGEST + "/[^/]+/batches")).hasSize(1);
        assertThat(composites()).as("each record of the failed job once more, through Composite").hasSize(8);
        assertThat(deadLetters()).isEmpty();
    }

    private void assertTheCsvHoldsTheMappedCases(String csv) {
        List<String[]> rows = FakeBulkApi.rows(csv);
        List<String> header = Arrays.asList(rows.get(0));
        assertThat(header.get(0)).isEqualTo("VEP_Case_Id__c");
        assertThat(header).contains("Status", "Reason", "Origin", "OwnerId", "VEP_Handle_Time_Ms__c", "VEP_Revision__c", "VEP_Transcript__c")
                .doesNotHaveDuplicates();
        assertThat(rows).as("the header and every case but the one whose transcript needs a file").hasSize(12);
        Map<String, Map<String, String>> byCase = new HashMap<>();
        for (String[] row : rows.subList(1, rows.size())) {
            Map<String, String> fields = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                fields.put(header.get(i), row[i]);
            }
            byCase.put(fields.get("VEP_Case_Id__c"), fields);
        }
        assertThat(byCase).hasSize(11).doesNotContainKey("bulk-11");
        Map<String, String> fourth = byCase.get("bulk-3");
        assertThat(fourth).containsEntry("Status", "Closed").containsEntry("Reason", "Resolved").containsEntry("Origin", "Chat")
                .containsEntry("OwnerId", "0055g00000AbCdE").containsEntry("VEP_Revision__c", "1").containsEntry("VEP_Handle_Time_Ms__c", "60000");
        assertThat(fourth.get("VEP_Transcript__c")).contains("Visitor: Hi, where is my parcel? (case 3)\n", "Agent Ada Berg: It arrives tomorrow");
        assertThat(byCase.get("bulk-4").get("Status")).as("unresolved").isEqualTo("Escalated");
    }

    // --- helpers -------------------------------------------------------------------------------

    private void start(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--vep.sinks.salesforce.enabled=true", "--vep.sinks.salesforce.login-url=" + salesforce.url(),
                "--vep.sinks.salesforce.auth.flow=client-credentials", "--vep.sinks.salesforce.auth.client-id=connected-app-id",
                "--vep.sinks.salesforce.auth.client-secret=connected-app-secret", "--vep.sinks.salesforce.retry.initial-backoff=200ms",
                "--vep.sinks.salesforce.bulk-poll-interval=200ms", "--vep.sinks.file.enabled=false"));
        args.addAll(List.of(extra));
        connector = RunningConnector.start(setup.arguments(args.toArray(String[]::new)));
        await().atMost(Duration.ofSeconds(30)).until(connector::isConsuming);
        vep.publish(setup.exchange(), "configuration.agent", """
                {"eventTime": "2026-11-23T08:00:00.000Z", "agentId": "agent-ada", "agentName": "Ada Berg",
                 "agentExternalId": {"Salesforce": "0055g00000AbCdE"}}""");
        await().atMost(Duration.ofSeconds(20)).until(() -> connector.jdbc().queryForObject(
                "SELECT COUNT(*) FROM configured_entity WHERE version > 0", Long.class) == 1);
    }

    private JsonNode backfill(Instant from, Instant to) throws Exception {
        String answer = connector.http().post().uri("/api/sinks/salesforce/backfill").contentType(MediaType.APPLICATION_JSON)
                .body("{\"from\": \"" + from + "\", \"to\": \"" + to + "\"}").retrieve().body(String.class);
        return JSON.readTree(answer);
    }

    private JsonNode awaitFinished(long id) throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> backfillOf(id).get("state").asText().equals("finished"));
        return backfillOf(id);
    }

    private JsonNode backfillOf(long id) throws Exception {
        return JSON.readTree(connector.http().get().uri("/api/sinks/salesforce/backfills/" + id).retrieve().body(String.class));
    }

    /** The Composite requests that deliver records (not the customer lookups), in the order received. */
    private List<JsonNode> composites() {
        return salesforce.deliveries();
    }

    private Instant emittedAt(String aggregate) {
        return connector.jdbc().queryForObject("SELECT " + aggregate + "(emitted_at) FROM case_record", OffsetDateTime.class).toInstant();
    }

    private void publishCase(String caseId, int i) throws Exception {
        String outcome = i % 4 == 0 ? "unresolved" : "positive";
        vep.publish(setup.exchange(), "case.opened", """
                {"eventTime": "2026-11-23T09:00:00.000Z", "caseId": "%s", "agentId": "agent-ada", "groupId": "g"}""".formatted(caseId));
        vep.publish(setup.exchange(), "case.closed", """
                {"eventTime": "2026-11-23T09:01:00.000Z", "caseId": "%s", "outcome": "%s"}""".formatted(caseId, outcome));
        vep.publish(setup.exchange(), "case.transcriptClosed", """
                {"eventTime": "2026-11-23T09:01:01.000Z", "caseId": "%s", "transcript": {"messages": [
                  {"eventTime": "2026-11-23T09:00:05.000Z", "speaker": {"visitorId": "v-1"}, "messageType": "chat",
                   "message": "Hi, where is my parcel? (case %d)"},
                  {"eventTime": "2026-11-23T09:00:20.000Z", "speaker": {"agentId": {"id": "agent-ada"}}, "messageType": "chat",
                   "message": "It arrives tomorrow, \\"promised\\"%s"}]}}""".formatted(caseId, i, i == 11 ? " and more".repeat(120) : ""));
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> deadLetters() {
        return connector.http().get().uri("/api/sinks/salesforce/dead-letters").retrieve().body(List.class);
    }
}
