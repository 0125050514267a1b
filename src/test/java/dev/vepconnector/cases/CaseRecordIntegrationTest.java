package dev.vepconnector.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.support.CaseRecordSchema;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.RunningConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every rule of the case-record contract over the real broker, as a CRM team would see it: the file
 * the file sink writes for a case, and every revision kept, each valid against the schema.
 */
class CaseRecordIntegrationTest {

    static Setup SETUP;
    static FakeVep VEP;
    static final ObjectMapper JSON = new ObjectMapper();
    static RunningConnector connector;

    static final String ADA = "agent-ada";
    static final String BO = "agent-bo";
    static final String BILLING = "group-billing";
    static final String ORDERS = "group-orders";

    @BeforeAll
    static void start() throws Exception {
        startWith();
    }

    static void startWith(String... extraArguments) throws Exception {
        SETUP = Setup.unique();
        VEP = new FakeVep();
        VEP.declareExchange(SETUP.exchange());
        List<String> arguments = new ArrayList<>(List.of("--vep.cases.transcript-wait=2s", "--vep.cases.sweep-interval=200ms",
                "--vep.sinks.file.directory=" + out()));
        arguments.addAll(List.of(extraArguments));
        connector = RunningConnector.start(SETUP.arguments(arguments.toArray(String[]::new)));
        await().atMost(Duration.ofSeconds(30)).until(connector::isConsuming);
        publish("configuration.agent", """
                {"eventTime": "2026-11-23T08:00:00.000Z", "agentId": "agent-ada", "agentEmail": "ada@example.com",
                 "agentName": "Ada Berg", "agentDisplayName": "Ada", "agentAssignedGroups": ["group-billing"],
                 "agentExternalId": {"Salesforce": "0055g00000AbCdE"}}""");
        publish("configuration.agent", """
                {"eventTime": "2026-11-23T08:00:00.000Z", "agentId": "agent-bo", "agentName": "Bo Lind"}""");
        publish("configuration.group", """
                {"eventTime": "2026-11-23T08:00:00.000Z", "groupId": "group-billing", "groupName": "Billing"}""");
        publish("configuration.group", """
                {"eventTime": "2026-11-23T08:00:00.000Z", "groupId": "group-orders", "groupName": "Orders",
                 "groupExternalId": {"Salesforce": "00G5g000002"}}""");
        publish("configuration.caseType", """
                {"eventTime": "2026-11-23T08:00:00.000Z", "caseTypeId": "type-orders", "caseTypeName": "Orders",
                 "caseTypeExternalId": {"Salesforce": "Orders"}}""");
        publish("configuration.opportunity", """
                {"eventTime": "2026-11-23T08:00:00.000Z", "opportunityId": "opp-checkout", "opportunityName": "Checkout help"}""");
        await().atMost(Duration.ofSeconds(20)).until(() -> connector.jdbc().queryForObject(
                "SELECT COUNT(*) FROM configured_entity WHERE version > 0", Long.class) == 6);
    }

    @AfterAll
    static void stop() {
        connector.close();
        VEP.deleteQueue(SETUP.queue());
        VEP.deleteExchange(SETUP.exchange());
        VEP.close();
    }

    @Test
    void aClosedAndTranscribedCaseIsOneRecordWithEveryIdResolved() throws Exception {
        String caseId = newCase();
        publishAll(simpleLifecycle(caseId));

        JsonNode record = awaitRecord(caseId, 1);
        assertThat(record.get("createdAt").asText()).isEqualTo("2026-11-23T09:15:02.120Z");
        assertThat(record.get("closedAt").asText()).isEqualTo("2026-11-23T09:27:40.003Z");
        assertThat(record.get("outcome").asText()).isEqualTo("positive");
        assertThat(record.get("closure").asText()).isEqualTo("Delivery address changed");
        assertThat(record.get("caseType")).isEqualTo(JSON.readTree("""
                {"id": "type-orders", "name": "Orders", "externalIds": {"Salesforce": "Orders"}}"""));
        assertThat(record.get("opportunity")).isEqualTo(JSON.readTree("""
                {"id": "opp-checkout", "name": "Checkout help"}"""));
        assertThat(record.get("solution")).isEqualTo(JSON.readTree("""
                {"id": "solution-unconfigured"}"""));
        assertThat(record.get("assignments")).isEqualTo(JSON.readTree("""
                [{"agent": {"id": "agent-ada", "name": "Ada Berg", "displayName": "Ada", "email": "ada@example.com",
                            "externalIds": {"Salesforce": "0055g00000AbCdE"}},
                  "group": {"id": "group-billing", "name": "Billing"},
                  "openedAt": "2026-11-23T09:16:10.000Z", "endedAt": "2026-11-23T09:27:40.003Z", "endReason": "closed"}]"""));
        assertThat(record.get("transfers")).isEmpty();
        assertThat(record.get("visitorProfile")).isEqualTo(JSON.readTree("""
                {"email": "visitor@example.org", "orderNo": "A-1182"}"""));
        assertThat(record.get("transcriptMissing").asBoolean()).isFalse();
        assertThat(record.get("transcript").get("messages")).hasSize(2);
        assertThat(record.get("handleTimeMs").asLong()).isEqualTo(690_003L);
        assertThat(record.get("events")).extracting(e -> e.get("type").asText()).containsExactly(
                "case.created", "case.visitorProfile", "case.opened", "case.closed", "case.transcriptClosed");
        assertThat(connector.http().get().uri("/api/cases/" + caseId).retrieve().body(JsonNode.class)).isEqualTo(record);
        assertThat(connector.http().get().uri("/api/cases?limit=500").retrieve().body(JsonNode.class))
                .anySatisfy(line -> {
                    assertThat(line.get("caseId").asText()).isEqualTo(caseId);
                    assertThat(line.get("caseType").asText()).isEqualTo("Orders");
                    assertThat(line.get("outcome").asText()).isEqualTo("positive");
                });
    }

    @Test
    void anAgentConfiguredInTheSameBurstAsTheCaseIsNamedInItsRecord() throws Exception {
        // Published back to back, the agent's configuration and the case usually land in one processed
        // batch: the record built in it must already know the agent.
        String caseId = newCase();
        String agentId = "agent-" + caseId;
        List<String[]> burst = new ArrayList<>();
        burst.add(new String[] {"configuration.agent", """
                {"eventTime": "2026-11-23T08:00:00.000Z", "agentId": "%s", "agentName": "Cy Dahl"}""".formatted(agentId)});
        simpleLifecycle(caseId).forEach(event -> burst.add(new String[] {event[0], event[1].replace("agent-ada", agentId)}));
        publishAll(burst);

        JsonNode record = awaitRecord(caseId, 1);
        assertThat(record.get("assignments").get(0).get("agent").get("name").asText()).isEqualTo("Cy Dahl");
    }

    @Test
    void aTransferEndsOneAssignmentAndStartsTheNext() throws Exception {
        String caseId = newCase();
        publish("case.created", created(caseId, "09:00:00"));
        publish("case.opened", opened(caseId, "09:01:00", ADA, BILLING));
        publish("case.transferred.toGroup", """
                {"eventTime": "2026-11-23T09:05:00.000Z", "caseId": "%s", "previousAgentId": "agent-ada",
                 "previousGroupId": "group-billing", "newGroupId": "group-orders"}""".formatted(caseId));
        publish("case.opened", opened(caseId, "09:06:00", BO, ORDERS));
        publish("case.closed", closed(caseId, "09:10:00", "neutral"));
        publish("case.transcriptClosed", transcript(caseId, "09:10:01", "Hej"));

        JsonNode record = awaitRecord(caseId, 1);
        JsonNode assignments = record.get("assignments");
        assertThat(assignments).hasSize(2);
        assertThat(assignments.get(0).get("endReason").asText()).isEqualTo("transferred");
        assertThat(assignments.get(0).get("endedAt").asText()).isEqualTo("2026-11-23T09:05:00.000Z");
        assertThat(assignments.get(1).get("agent").get("name").asText()).isEqualTo("Bo Lind");
        assertThat(assignments.get(1).get("group").get("name").asText()).isEqualTo("Orders");
        assertThat(assignments.get(1).get("endReason").asText()).isEqualTo("closed");
        assertThat(record.get("transfers")).isEqualTo(JSON.readTree("""
                [{"at": "2026-11-23T09:05:00.000Z",
                  "fromAgent": {"id": "agent-ada", "name": "Ada Berg", "displayName": "Ada", "email": "ada@example.com",
                                "externalIds": {"Salesforce": "0055g00000AbCdE"}},
                  "fromGroup": {"id": "group-billing", "name": "Billing"},
                  "toGroup": {"id": "group-orders", "name": "Orders", "externalIds": {"Salesforce": "00G5g000002"}}}]"""));
        assertThat(record.get("handleTimeMs").asLong()).isEqualTo(540_000L);
    }

    @Test
    void theTranscriptMayComeBeforeTheClose() throws Exception {
        String caseId = newCase();
        publish("case.created", created(caseId, "09:00:00"));
        publish("case.opened", opened(caseId, "09:01:00", ADA, BILLING));
        publish("case.transcriptClosed", transcript(caseId, "09:02:00", "Transcript first"));
        publish("case.closed", closed(caseId, "09:02:00", "positive"));

        JsonNode record = awaitRecord(caseId, 1);
        assertThat(record.get("transcriptMissing").asBoolean()).isFalse();
        assertThat(record.get("transcript").toString()).contains("Transcript first");
        assertNoRevision(caseId, 2);
    }

    @Test
    void aReopenedCaseEmitsANewRevisionAtItsNextClose() throws Exception {
        String caseId = newCase();
        publish("case.created", created(caseId, "09:00:00"));
        publish("case.opened", opened(caseId, "09:01:00", ADA, BILLING));
        publish("case.closed", closed(caseId, "09:05:00", "unresolved"));
        publish("case.transcriptClosed", transcript(caseId, "09:05:01", "First conversation"));
        JsonNode first = awaitRecord(caseId, 1);
        assertThat(first.get("outcome").asText()).isEqualTo("unresolved");

        publish("case.opened", opened(caseId, "10:00:00", BO, ORDERS));
        // Opened again: nothing is emitted until it closes again.
        publish("case.closed", closed(caseId, "10:07:00", "positive"));
        publish("case.transcriptClosed", transcript(caseId, "10:07:01", "Second conversation"));

        JsonNode second = awaitRecord(caseId, 2);
        assertThat(second.get("outcome").asText()).isEqualTo("positive");
        assertThat(second.get("closedAt").asText()).isEqualTo("2026-11-23T10:07:00.000Z");
        assertThat(second.get("assignments")).hasSize(2);
        assertThat(second.get("assignments").get(0).get("endReason").asText()).isEqualTo("closed");
        assertThat(second.get("transcript").toString()).contains("Second conversation");
        assertThat(revisions(caseId)).isEqualTo(2);
    }

    @Test
    void duplicatesChangeNothing() throws Exception {
        String caseId = newCase();
        List<String[]> lifecycle = simpleLifecycle(caseId);
        publishAll(lifecycle);
        publishAll(lifecycle);
        JsonNode record = awaitRecord(caseId, 1);
        assertThat(record.get("assignments")).hasSize(1);
        assertThat(record.get("events")).hasSize(5);
        // A later case completing proves the duplicates were consumed by then.
        String marker = newCase();
        publishAll(simpleLifecycle(marker));
        awaitRecord(marker, 1);
        assertThat(revisions(caseId)).isEqualTo(1);
    }

    @Test
    void withoutTranscriptTheRecordGoesOutAfterTheWaitAndALateTranscriptMakesRevisionTwo() throws Exception {
        String caseId = newCase();
        publish("case.created", created(caseId, "09:00:00"));
        publish("case.opened", opened(caseId, "09:01:00", ADA, BILLING));
        publish("case.closed", closed(caseId, "09:05:00", "negative"));

        JsonNode first = awaitRecord(caseId, 1);
        assertThat(first.get("transcriptMissing").asBoolean()).isTrue();
        assertThat(first.has("transcript")).isFalse();

        publish("case.transcriptClosed", transcript(caseId, "09:05:01", "Late but here"));
        JsonNode second = awaitRecord(caseId, 2);
        assertThat(second.get("transcriptMissing").asBoolean()).isFalse();
        assertThat(second.get("transcript").toString()).contains("Late but here");
    }

    @Test
    void unknownIdsStayIdsAndUnknownMessageTypesAndNonAsciiTextPassThroughIntact() throws Exception {
        String caseId = newCase();
        publish("case.created", """
                {"eventTime": "2026-11-23T09:00:00.000Z", "caseId": "%s", "caseTypeId": "type-nobody-knows"}""".formatted(caseId));
        publish("case.opened", opened(caseId, "09:01:00", "agent-nobody-knows", "group-nobody-knows"));
        publish("case.closed", closed(caseId, "09:02:00", "positive"));
        String transcript = """
                {"eventTime": "2026-11-23T09:02:01.000Z", "caseId": "%s", "transcript": {"channel": "web", "messages": [
                  {"eventTime": "2026-11-23T09:01:05.000Z", "speaker": {"visitorId": "v-1"}, "messageType": "chat",
                   "message": "Grüße från Åre, 東京へ 😀", "sentiment": {"score": 0.9}},
                  {"eventTime": "2026-11-23T09:01:06.000Z", "speaker": {"visitorId": "v-1"}, "messageType": "hologram",
                   "hologram": {"frames": [1, 2, 3]}}]}}""".formatted(caseId);
        publish("case.transcriptClosed", transcript);

        JsonNode record = awaitRecord(caseId, 1);
        assertThat(record.get("caseType")).isEqualTo(JSON.readTree("{\"id\": \"type-nobody-knows\"}"));
        assertThat(record.get("assignments").get(0).get("agent")).isEqualTo(JSON.readTree("{\"id\": \"agent-nobody-knows\"}"));
        assertThat(record.get("assignments").get(0).get("group")).isEqualTo(JSON.readTree("{\"id\": \"group-nobody-knows\"}"));
        assertThat(record.get("transcript")).isEqualTo(JSON.readTree(transcript).get("transcript"));
    }

    @Test
    void eventsInAnyOrderGiveTheSameRecord() throws Exception {
        String inOrder = newCase();
        String reversed = newCase();
        publishAll(simpleLifecycle(inOrder));
        List<String[]> backwards = new ArrayList<>(simpleLifecycle(reversed));
        Collections.reverse(backwards);
        publishAll(backwards);

        JsonNode expected = awaitRecord(inOrder, 1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode latest = latestFile(reversed);
            assertThat(withoutIdentity(latest)).isEqualTo(withoutIdentity(expected));
        });
    }

    // --- helpers -------------------------------------------------------------------------------

    static Path out() {
        return SETUP.dataDirectory().resolve("out");
    }

    static String newCase() {
        return "case-" + UUID.randomUUID();
    }

    static List<String[]> simpleLifecycle(String caseId) {
        return List.of(
                new String[] {"case.created", """
                        {"eventTime": "2026-11-23T09:15:02.120Z", "caseId": "%s", "opportunityId": "opp-checkout",
                         "solutionId": "solution-unconfigured", "caseTypeId": "type-orders"}""".formatted(caseId)},
                new String[] {"case.visitorProfile", """
                        {"eventTime": "2026-11-23T09:15:30.000Z", "caseId": "%s",
                         "profile": {"email": "visitor@example.org", "orderNo": "A-1182"}}""".formatted(caseId)},
                new String[] {"case.opened", opened(caseId, "09:16:10", ADA, BILLING)},
                new String[] {"case.closed", """
                        {"eventTime": "2026-11-23T09:27:40.003Z", "caseId": "%s", "outcome": "positive",
                         "closure": "Delivery address changed"}""".formatted(caseId)},
                new String[] {"case.transcriptClosed", transcript(caseId, "09:27:40.010", "Hi, I need to change my address")});
    }

    static String created(String caseId, String time) {
        return """
                {"eventTime": "2026-11-23T%s.000Z", "caseId": "%s", "caseTypeId": "type-orders"}""".formatted(time, caseId);
    }

    static String opened(String caseId, String time, String agent, String group) {
        return """
                {"eventTime": "2026-11-23T%s.000Z", "caseId": "%s", "agentId": "%s", "groupId": "%s"}""".formatted(time, caseId, agent, group);
    }

    static String closed(String caseId, String time, String outcome) {
        return """
                {"eventTime": "2026-11-23T%s.000Z", "caseId": "%s", "outcome": "%s"}""".formatted(time, caseId, outcome);
    }

    static String transcript(String caseId, String time, String text) {
        String at = time.contains(".") ? time : time + ".000";
        return """
                {"eventTime": "2026-11-23T%sZ", "caseId": "%s", "transcript": {"messages": [
                  {"eventTime": "2026-11-23T%sZ", "speaker": {"visitorId": "v-1"}, "messageType": "chat", "message": "%s"},
                  {"eventTime": "2026-11-23T%sZ", "speaker": {"agentId": {"id": "agent-ada"}}, "messageType": "chat", "message": "Sure"}
                ]}}""".formatted(at, caseId, at, text, at);
    }

    static void publish(String routingKey, String body) throws Exception {
        VEP.publish(SETUP.exchange(), routingKey, body);
    }

    static void publishAll(List<String[]> events) throws Exception {
        for (String[] event : events) {
            publish(event[0], event[1]);
        }
    }

    /** Waits for the file sink to hold this revision, checks every stored revision against the schema, returns it. */
    static JsonNode awaitRecord(String caseId, int revision) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode file = latestFile(caseId);
            assertThat(file).isNotNull();
            assertThat(file.get("revision").asInt()).isEqualTo(revision);
        });
        JsonNode record = latestFile(caseId);
        assertThat(CaseRecordSchema.violations(record)).isEmpty();
        for (String stored : connector.jdbc().queryForList("SELECT record FROM case_record WHERE case_id = ?", String.class, caseId)) {
            assertThat(CaseRecordSchema.violations(read(stored))).isEmpty();
        }
        return record;
    }

    static void assertNoRevision(String caseId, int revision) {
        String marker = newCase();
        try {
            publishAll(simpleLifecycle(marker));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        awaitRecord(marker, 1);
        assertThat(revisions(caseId)).isLessThan(revision);
    }

    static int revisions(String caseId) {
        Integer max = connector.jdbc().queryForObject("SELECT MAX(revision) FROM case_record WHERE case_id = ?", Integer.class, caseId);
        return max == null ? 0 : max;
    }

    static JsonNode latestFile(String caseId) {
        Path file = out().resolve("cases").resolve(caseId + ".json");
        try {
            return Files.exists(file) ? JSON.readTree(file.toFile()) : null;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode withoutIdentity(JsonNode record) {
        var copy = record.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove(List.of("caseId", "revision"));
        return copy;
    }
}
