package dev.vepconnector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.support.CaseStream;
import dev.vepconnector.support.ConnectorTestSupport;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.RunningConnector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replaying rejected messages over the real broker, database and HTTP API, as an operator does it:
 * a case the database refused is recorded once the fault is fixed and its dead letters replayed;
 * input that is still bad comes back as a dead letter, never lost; a replay by reason touches that
 * reason only; only the admin replays. The connector commits small batches, so replays of several
 * dead letters take several transactions.
 *
 * <p>No {@code vep.*} setting lifts a rejection: the parser's limits (nesting depth, stored size) are
 * fixed, the rest are faults of the message. What an operator can fix is outside it, in the
 * database; the test stands a CHECK constraint in for such a fault (a revoked grant, a table a
 * migration left wrong) and removes it as the fix.
 */
class DeadLetterReplayIntegrationTest {

    static final Setup SETUP = Setup.unique();
    static final FakeVep VEP = new FakeVep();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN = ConnectorTestSupport.adminAuthorization();
    static final String VIEWER = "Basic " + Base64.getEncoder().encodeToString("watcher:viewer-pw".getBytes(StandardCharsets.UTF_8));
    static final Path OUT = SETUP.dataDirectory().resolve("out");
    static final String REFUSED_CASE = CaseStream.caseId("refused-case-", 0);
    static RunningConnector connector;

    @BeforeAll
    static void start() throws Exception {
        VEP.declareExchange(SETUP.exchange());
        connector = RunningConnector.start(SETUP.arguments("--vep.ingest.batch-size=3", "--vep.sinks.file.directory=" + OUT,
                "--vep.security.viewer.username=watcher", "--vep.security.viewer.password=viewer-pw"));
        await().atMost(Duration.ofSeconds(30)).until(connector::isConsuming);
    }

    @AfterAll
    static void stop() {
        connector.close();
        VEP.deleteQueue(SETUP.queue());
        VEP.deleteExchange(SETUP.exchange());
        VEP.close();
    }

    @Test
    void aCaseTheDatabaseRefusedIsRecordedOnceTheFaultIsFixedAndItsDeadLettersReplayed() throws Exception {
        connector.jdbc().execute("ALTER TABLE case_state ADD CONSTRAINT replay_test_fault CHECK (case_id <> '" + REFUSED_CASE + "')");
        List<String[]> refused = CaseStream.stream("refused-case-", 1);
        publishAll(refused);
        publishAll(CaseStream.stream("alongside-case-", 1));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(caseRecordFile(CaseStream.caseId("alongside-case-", 0))).as("the case next to it is recorded").exists();
            assertThat(deadLettersOf(REFUSED_CASE)).hasSize(refused.size())
                    .allSatisfy(letter -> assertThat(letter.path("reason").asText()).startsWith("storage-error: "));
        });
        long deadLetters = deadLetterCount();

        assertThat(replayedCount(post("/api/dead-letters/replay?reason=storage-error", ADMIN))).isEqualTo(refused.size());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(metric("vep_events_rejected_total", "reason", "storage-error")).isEqualTo(2.0 * refused.size()));
        assertThat(deadLettersOf(REFUSED_CASE)).as("replayed before the fix: dead letters again, none lost").hasSize(refused.size());
        assertThat(deadLetterCount()).isEqualTo(deadLetters);
        assertThat(get("/api/cases/" + REFUSED_CASE, ADMIN).statusCode()).isEqualTo(404);

        connector.jdbc().execute("ALTER TABLE case_state DROP CONSTRAINT replay_test_fault");
        double transfersReceived = metric("vep_events_received_total", "type", "case.transferred.toGroup");
        double latenciesRecorded = metric("vep_events_consume_latency_seconds_count", null, null);
        assertThat(replayedCount(post("/api/dead-letters/replay?reason=storage-error", ADMIN))).isEqualTo(refused.size());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(caseRecordFile(REFUSED_CASE)).exists());
        JsonNode record = JSON.readTree(caseRecordFile(REFUSED_CASE).toFile());
        assertThat(CaseStream.check(0, record, false)).as("the record holds every replayed event, in order").isNull();
        assertThat(JSON.readTree(get("/api/cases/" + REFUSED_CASE, ADMIN).body()).path("revision").asInt()).isEqualTo(1);
        assertThat(deadLettersOf(REFUSED_CASE)).isEmpty();
        assertThat(deadLetterCount()).isEqualTo(deadLetters - refused.size());
        assertThat(metric("vep_events_replayed_total", "reason", "storage-error")).isEqualTo(2.0 * refused.size());
        assertThat(metric("vep_events_received_total", "type", "case.transferred.toGroup")).isEqualTo(transfersReceived + 1);
        assertThat(metric("vep_events_consume_latency_seconds_count", null, null))
                .as("a replayed event's age is no consume latency").isEqualTo(latenciesRecorded);
    }

    @Test
    void aReplayOfStillBadInputIsDeadLetteredAgainWithItsReason() throws Exception {
        VEP.publish(SETUP.exchange(), "case.created", "{\"caseId\": \"still-bad\", \"caseTypeId\": ");
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLettersOf("still-bad").size() == 1);
        JsonNode before = deadLettersOf("still-bad").get(0);
        long deadLetters = deadLetterCount();
        double rejected = metric("vep_events_rejected_total", "reason", "not-json");

        assertThat(replayedCount(post("/api/dead-letters/" + before.path("id").asLong() + "/replay", ADMIN))).isEqualTo(1);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<JsonNode> after = deadLettersOf("still-bad");
            assertThat(after).hasSize(1);
            assertThat(after.get(0).path("id").asLong()).as("dead-lettered anew").isNotEqualTo(before.path("id").asLong());
        });
        JsonNode after = deadLettersOf("still-bad").get(0);
        assertThat(after.path("body").asText()).isEqualTo(before.path("body").asText());
        assertThat(after.path("reason").asText()).startsWith("not-json: case.created body is not JSON");
        assertThat(deadLetterCount()).isEqualTo(deadLetters);
        assertThat(metric("vep_events_rejected_total", "reason", "not-json")).isEqualTo(rejected + 1);
        assertThat(post("/api/dead-letters/" + before.path("id").asLong() + "/replay", ADMIN).statusCode())
                .as("the replayed one is gone").isEqualTo(404);
    }

    @Test
    void aReplayByReasonTouchesThatReasonOnlyAndEachDeadLetterOnce() throws Exception {
        for (int i = 0; i < 7; i++) {
            VEP.publish(SETUP.exchange(), "case.opened", "{\"agentId\": \"agent-of-reason-test\", \"groupId\": \"reason-group-" + i + "\"}");
        }
        VEP.publish(SETUP.exchange(), "case.closed", "{\"caseId\": \"reason-test-case\", \"outcome\": \"delighted\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLettersOf("reason-group-").size() == 7
                && deadLettersOf("reason-test-case").size() == 1);
        long missingField = allDeadLetters().stream().filter(letter -> "missing-field".equals(letter.path("reasonCode").asText())).count();
        long otherReason = deadLettersOf("reason-test-case").get(0).path("id").asLong();
        double replayedBefore = metric("vep_events_replayed_total", "reason", "missing-field");
        long newestBefore = deadLettersOf("reason-group-").stream().mapToLong(letter -> letter.path("id").asLong()).max().orElseThrow();

        assertThat(replayedCount(post("/api/dead-letters/replay?reason=missing-field", ADMIN))).isEqualTo(missingField);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deadLettersOf("reason-group-"))
                .hasSize(7).allSatisfy(letter -> assertThat(letter.path("id").asLong()).isGreaterThan(newestBefore)));
        assertThat(deadLettersOf("reason-group-")).allSatisfy(letter ->
                assertThat(letter.path("reason").asText()).isEqualTo("missing-field: case.opened requires 'caseId'"));
        assertThat(deadLettersOf("reason-test-case")).singleElement()
                .satisfies(letter -> assertThat(letter.path("id").asLong()).as("untouched").isEqualTo(otherReason));
        assertThat(metric("vep_events_replayed_total", "reason", "missing-field"))
                .as("each replayed once, though they came back while the replay went on").isEqualTo(replayedBefore + missingField);
        assertThat(metric("vep_events_replayed_total", "reason", "invalid-value")).isZero();
    }

    @Test
    void aReplayWithoutAReasonTakesEveryDeadLetterThereIs() throws Exception {
        VEP.publish(SETUP.exchange(), "configuration.agent", "\"every-reason-not-an-object\"");
        VEP.publish(SETUP.exchange(), "case.opened", new byte[] {'{', '"', 'e', 'v', 'e', 'r', 'y', (byte) 0xC3, (byte) 0x28, '"', '}'});
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLettersOf("every-reason-not-an-object").size() == 1
                && allDeadLetters().stream().anyMatch(letter -> "invalid-encoding".equals(letter.path("reasonCode").asText())));
        Map<String, Long> before = countByReason();
        long total = before.values().stream().mapToLong(Long::longValue).sum();

        assertThat(replayedCount(post("/api/dead-letters/replay", ADMIN))).isEqualTo(total);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(connector.jdbc()
                .queryForObject("SELECT COUNT(*) FROM inbox", Long.class)).isZero());
        assertThat(countByReason()).as("all of them still bad: back, each with its reason").isEqualTo(before);
        assertThat(allDeadLetters()).filteredOn(letter -> "base64".equals(letter.path("bodyEncoding").asText()))
                .extracting(letter -> letter.path("body").asText())
                .contains(Base64.getEncoder().encodeToString(new byte[] {'{', '"', 'e', 'v', 'e', 'r', 'y', (byte) 0xC3, (byte) 0x28, '"', '}'}));
    }

    @Test
    void onlyTheAdminReplaysAndAnUnknownDeadLetterIsNotFound() throws Exception {
        long deadLetters = deadLetterCount();
        assertThat(post("/api/dead-letters/replay", VIEWER).statusCode()).isEqualTo(403);
        assertThat(post("/api/dead-letters/1/replay", VIEWER).statusCode()).isEqualTo(403);
        assertThat(post("/api/dead-letters/replay?reason=not-json", null).statusCode()).isEqualTo(401);

        HttpResponse<String> unknown = post("/api/dead-letters/987654321/replay", ADMIN);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("message").asText()).startsWith("No dead letter 987654321");
        HttpResponse<String> unknownReason = post("/api/dead-letters/replay?reason=bad-vibes", ADMIN);
        assertThat(unknownReason.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknownReason.body()).path("message").asText()).contains("bad-vibes", "processing-error", "missing-field");
        assertThat(deadLetterCount()).isEqualTo(deadLetters);
    }

    private static void publishAll(List<String[]> events) throws Exception {
        for (String[] event : events) {
            VEP.publish(SETUP.exchange(), event[0], event[1]);
        }
    }

    private static Path caseRecordFile(String caseId) {
        return OUT.resolve("cases").resolve(caseId + ".json");
    }

    private static List<JsonNode> deadLettersOf(String bodyPart) throws Exception {
        return allDeadLetters().stream().filter(letter -> letter.path("body").asText().contains(bodyPart)).toList();
    }

    private static List<JsonNode> allDeadLetters() throws Exception {
        List<JsonNode> letters = new ArrayList<>();
        JSON.readTree(get("/api/dead-letters?limit=1000", VIEWER).body()).forEach(letters::add);
        return letters;
    }

    private static Map<String, Long> countByReason() throws Exception {
        return allDeadLetters().stream().collect(Collectors.groupingBy(letter -> letter.path("reasonCode").asText(), TreeMap::new,
                Collectors.counting()));
    }

    private static long deadLetterCount() throws Exception {
        return JSON.readTree(get("/api/dead-letters/count", VIEWER).body()).path("count").asLong();
    }

    private static long replayedCount(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("replayed").asLong();
    }

    /** A Prometheus sample's value; 0 when the series is not there. */
    private static double metric(String name, String tag, String value) throws Exception {
        String series = name + "{application=\"vep-connector\"" + (tag == null ? "" : "," + tag + "=\"" + value + "\"") + "}";
        return get("/actuator/prometheus", null).body().lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0.0);
    }

    private static HttpResponse<String> get(String path, String authorization) throws Exception {
        return send("GET", path, authorization);
    }

    private static HttpResponse<String> post(String path, String authorization) throws Exception {
        return send("POST", path, authorization);
    }

    private static HttpResponse<String> send(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(connector.baseUrl() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
