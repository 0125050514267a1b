package dev.vepconnector.cases;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vepconnector.config.AgentRef;
import dev.vepconnector.config.EntityDirectory;
import dev.vepconnector.config.EntityRef;
import dev.vepconnector.events.CaseEvent;
import dev.vepconnector.events.EntityKind;
import dev.vepconnector.events.ReadResult;
import dev.vepconnector.events.VepEventReader;
import dev.vepconnector.support.CaseRecordSchema;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A case reopened after the retention purge removed its events: its next revision is built on its latest
 * kept revision and the events that came since, and says what a record built from every event would.
 */
class CaseRecordOnEarlierRevisionTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final EntityDirectory DIRECTORY = new EntityDirectory() {
        @Override
        public EntityRef ref(EntityKind kind, String id) {
            return new EntityRef(id, kind + " " + id, Map.of());
        }

        @Override
        public AgentRef agent(String id) {
            return new AgentRef(id, "Agent " + id, null, null, Map.of(), null);
        }
    };
    final CaseRecordBuilder builder = new CaseRecordBuilder(JSON, DIRECTORY);

    final List<CaseEvent> firstConversation = events(
            event("case.created", """
                    {"eventTime": "2026-11-23T09:00:00.000Z", "caseId": "c", "caseTypeId": "orders", "opportunityId": "op", "solutionId": "chat"}"""),
            event("case.visitorProfile", """
                    {"eventTime": "2026-11-23T09:00:01.000Z", "caseId": "c", "profile": {"email": "v@example.org", "orderNo": "A-1"}}"""),
            event("case.opened", """
                    {"eventTime": "2026-11-23T09:01:00.000Z", "caseId": "c", "agentId": "ada", "groupId": "billing"}"""),
            event("case.transferred.toGroup", """
                    {"eventTime": "2026-11-23T09:03:00.000Z", "caseId": "c", "previousAgentId": "ada", "previousGroupId": "billing",
                     "newGroupId": "orders"}"""),
            event("case.opened", """
                    {"eventTime": "2026-11-23T09:04:00.000Z", "caseId": "c", "agentId": "bo", "groupId": "orders"}"""),
            event("case.closed", """
                    {"eventTime": "2026-11-23T09:10:00.000Z", "caseId": "c", "outcome": "unresolved", "closure": "Call back"}"""),
            event("case.transcriptClosed", """
                    {"eventTime": "2026-11-23T09:10:01.000Z", "caseId": "c", "transcript": {"messages": [
                     {"eventTime": "2026-11-23T09:02:00.000Z", "speaker": {"visitorId": "v"}, "messageType": "chat", "message": "First"}]}}"""));

    final List<CaseEvent> secondConversation = events(
            event("case.visitorProfile", """
                    {"eventTime": "2026-11-24T08:00:00.000Z", "caseId": "c", "profile": {"orderNo": "A-2"}}"""),
            event("case.opened", """
                    {"eventTime": "2026-11-24T08:01:00.000Z", "caseId": "c", "agentId": "cy", "groupId": "orders"}"""),
            event("case.closed", """
                    {"eventTime": "2026-11-24T08:05:00.000Z", "caseId": "c", "outcome": "positive"}"""),
            event("case.transcriptClosed", """
                    {"eventTime": "2026-11-24T08:05:01.000Z", "caseId": "c", "transcript": {"channel": "web", "messages": [
                     {"eventTime": "2026-11-24T08:02:00.000Z", "speaker": {"visitorId": "v"}, "messageType": "chat", "message": "Second"}]}}"""));

    @Test
    void theNextRevisionOfAPurgedCaseSaysWhatOneBuiltFromEveryEventWould() {
        ObjectNode first = builder.build("c", 1, firstConversation, false);
        List<CaseEvent> every = new ArrayList<>(firstConversation);
        every.addAll(secondConversation);

        ObjectNode onEarlier = builder.build("c", 2, secondConversation, false, first);
        ObjectNode fromEveryEvent = builder.build("c", 2, every, false);

        assertThat(onEarlier).isEqualTo(fromEveryEvent);
        assertThat(onEarlier.get("createdAt").asText()).isEqualTo("2026-11-23T09:00:00.000Z");
        assertThat(onEarlier.get("caseType").get("id").asText()).isEqualTo("orders");
        assertThat(onEarlier.get("assignments")).hasSize(3);
        assertThat(onEarlier.get("transfers")).hasSize(1);
        assertThat(onEarlier.get("visitorProfile").toString()).isEqualTo("{\"email\":\"v@example.org\",\"orderNo\":\"A-2\"}");
        assertThat(onEarlier.get("transcript").get("messages").findValuesAsText("message")).containsExactly("First", "Second");
        assertThat(onEarlier.get("outcome").asText()).isEqualTo("positive");
        assertThat(onEarlier.get("closure").asText()).as("the earlier close's, the later one having none").isEqualTo("Call back");
        assertThat(onEarlier.get("handleTimeMs").asLong()).isEqualTo(java.time.Duration.between(
                Instant.parse("2026-11-23T09:01:00Z"), Instant.parse("2026-11-24T08:05:00Z")).toMillis());
        assertThat(onEarlier.get("events")).hasSize(11);
        assertThat(CaseRecordSchema.violations(onEarlier)).isEmpty();
    }

    @Test
    void withNoRevisionKeptTheNextOneHoldsWhatCameSince() {
        ObjectNode alone = builder.build("c", 2, secondConversation, false, null);

        assertThat(alone.has("createdAt")).isFalse();
        assertThat(alone.get("assignments")).hasSize(1);
        assertThat(alone.get("transcript").get("messages").findValuesAsText("message")).containsExactly("Second");
        assertThat(CaseRecordSchema.violations(alone)).isEmpty();
    }

    @Test
    void aReopenedCaseKeepsEveryConversationAndATranscriptRepeatingEarlierMessagesAddsOnlyTheNewOnes() {
        List<CaseEvent> every = new ArrayList<>(firstConversation);
        every.addAll(events(event("case.transcriptClosed", """
                {"eventTime": "2026-11-24T08:05:01.000Z", "caseId": "c", "transcript": {"messages": [
                 {"eventTime": "2026-11-23T09:02:00.000Z", "speaker": {"visitorId": "v"}, "messageType": "chat", "message": "First"},
                 {"eventTime": "2026-11-24T08:02:00.000Z", "speaker": {"visitorId": "v"}, "messageType": "chat", "message": "Second"}]}}""")));

        JsonNode record = builder.build("c", 2, every, false);

        assertThat(record.get("transcript").get("messages").findValuesAsText("message")).containsExactly("First", "Second");
    }

    private static List<CaseEvent> events(CaseEvent... events) {
        return List.of(events);
    }

    private static CaseEvent event(String routingKey, String body) {
        ReadResult read = new VepEventReader().read(routingKey, body.getBytes(StandardCharsets.UTF_8), Instant.parse("2026-11-25T00:00:00Z"));
        return (CaseEvent) ((ReadResult.Accepted) read).event();
    }
}
