package dev.vepconnector.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vepconnector.support.Examples;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;

class VepEventReaderTest {

    static final java.util.List<String> EXAMPLES = Examples.EVENT_ROUTING_KEYS;
    private static final Instant RECEIVED = Instant.parse("2026-11-23T10:00:00Z");
    private final VepEventReader reader = new VepEventReader();

    private ReadResult read(String routingKey, String body) {
        return reader.read(routingKey, body.getBytes(StandardCharsets.UTF_8), RECEIVED);
    }

    @ParameterizedTest
    @FieldSource("EXAMPLES")
    void everyExampleOfTheInterfaceIsAcceptedAsItsType(String routingKey) {
        ReadResult result = read(routingKey, Examples.body(routingKey));
        assertThat(result).isInstanceOf(ReadResult.Accepted.class);
        VepEvent event = ((ReadResult.Accepted) result).event();
        assertThat(event.type().routingKey()).isEqualTo(routingKey);
        assertThat(event.entityId()).isEqualTo(Examples.entityId(routingKey));
        assertThat(event.eventTime()).isBefore(RECEIVED);
    }

    @Test
    void theTranscriptKeepsEveryMessageTypeAndUnknownOnesPassThrough() {
        String body = """
                {"eventTime": "2026-11-23T09:27:40.010Z", "caseId": "c1", "transcript": {"language": "sv", "messages": [
                  {"eventTime": "2026-11-23T09:16:12.000Z", "speaker": {"visitorId": "v1"}, "recipients": [{"agentId": {"id": "a1", "externalIds": {"Salesforce": "005X"}}}],
                   "messageType": "chat", "message": "Hej! Kan ni hjälpa mig? 😀"},
                  {"eventTime": "2026-11-23T09:16:13.000Z", "speaker": {"agentId": {"id": "a1"}}, "recipients": [], "messageType": "sticker", "stickerId": 42}
                ]}}""";
        var event = (CaseTranscriptClosed) ((ReadResult.Accepted) read("case.transcriptClosed", body)).event();
        assertThat(event.transcript().raw().get("language").asText()).isEqualTo("sv");
        var messages = event.transcript().messages();
        assertThat(messages).hasSize(2);
        var chat = (TranscriptMessage.Chat) messages.get(0);
        assertThat(chat.message()).isEqualTo("Hej! Kan ni hjälpa mig? 😀");
        assertThat(chat.common().recipients().get(0).agentExternalIds()).containsEntry("Salesforce", "005X");
        var sticker = (TranscriptMessage.Other) messages.get(1);
        assertThat(sticker.messageType()).isEqualTo("sticker");
        assertThat(sticker.common().raw().get("stickerId").asInt()).isEqualTo(42);
    }

    @Test
    void partialEventsAreLegalAndAbsentAttributesStayNull() {
        var event = (GroupLoadChanged) ((ReadResult.Accepted) read("group.loadChanged",
                "{\"eventTime\": \"2026-11-23T09:00:00Z\", \"groupId\": \"g1\", \"numberOfVisitorsInQueue\": 4}")).event();
        assertThat(event.numberOfVisitorsInQueue()).isEqualTo(4);
        assertThat(event.numberOfAvailableAgents()).isNull();
        var agent = (ConfigurationAgent) ((ReadResult.Accepted) read("configuration.agent", "{\"agentId\": \"a1\", \"agentName\": \"Ada\"}")).event();
        assertThat(agent.agentExternalId()).isNull();
        assertThat(agent.eventTime()).as("a missing eventTime falls back to the receive time").isEqualTo(RECEIVED);
    }

    @Test
    void unknownRoutingKeysAreIgnoredNotRejected() {
        assertThat(read("case.escalated", "not even json")).isEqualTo(new ReadResult.Ignored("case.escalated"));
        assertThat(read("configuration.agent.collect", "{}")).isInstanceOf(ReadResult.Ignored.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "case.created | not json | not-json",
            "case.created | {\"caseId\": \"c1\"} trailing | not-json",
            "case.created | [1] | not-object",
            "case.created | \"text\" | not-object",
            "case.opened | {\"agentId\": \"a\"} | missing-field",
            "case.opened | {\"caseId\": \"\", \"agentId\": \"a\"} | missing-field",
            "case.opened | {\"caseId\": \"c1\"} | missing-field",
            "case.transcriptClosed | {\"caseId\": \"c1\"} | missing-field",
            "case.opened | {\"caseId\": 17, \"agentId\": \"a\"} | invalid-value",
            "case.closed | {\"caseId\": \"c1\", \"outcome\": \"great\"} | invalid-value",
            "case.closed | {\"caseId\": \"c1\", \"eventTime\": \"yesterday\"} | invalid-value",
            "group.loadChanged | {\"groupId\": \"g\", \"numberOfAvailableAgents\": \"3\"} | invalid-value",
            "group.loadChanged | {\"groupId\": \"g\", \"numberOfAvailableAgents\": 2.5} | invalid-value",
            "group.loadChanged | {\"groupId\": \"g\", \"numberOfAvailableAgents\": -1} | invalid-value",
            "group.performanceTimers | {\"groupId\": \"g\", \"averageWaitingTime\": 99999999999999999999999} | invalid-value",
            "case.visitorProfile | {\"caseId\": \"c1\", \"profile\": \"email=x\"} | invalid-value",
            "case.transcriptClosed | {\"caseId\": \"c1\", \"transcript\": {\"messages\": \"none\"}} | invalid-value",
            "configuration.agent | {\"agentId\": \"a\", \"agentAssignedGroups\": \"g1\"} | invalid-value"})
    void badInputIsRejectedWithItsReason(String routingKey, String body, String reason) {
        ReadResult result = read(routingKey, body);
        assertThat(result).isInstanceOf(ReadResult.Rejected.class);
        assertThat(((ReadResult.Rejected) result).reason().code()).isEqualTo(reason);
        assertThat(((ReadResult.Rejected) result).describe()).startsWith(reason + ": " + routingKey);
    }

    @Test
    void hostileShapesAreRejectedNotCrashedOn() {
        String deep = "{\"caseId\": \"c\", \"profile\": " + "{\"a\": ".repeat(5000) + "1" + "}".repeat(5000) + "}";
        assertThat(((ReadResult.Rejected) read("case.visitorProfile", deep)).reason()).isEqualTo(RejectReason.LIMIT_EXCEEDED);
        String longId = "{\"caseId\": \"" + "x".repeat(10_000) + "\", \"agentId\": \"a\"}";
        assertThat(((ReadResult.Rejected) read("case.opened", longId)).reason()).isEqualTo(RejectReason.INVALID_VALUE);
        byte[] latin1 = "{\"caseId\": \"c\", \"closure\": \"Gr\u00f6n\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(((ReadResult.Rejected) reader.read("case.closed", latin1, RECEIVED)).reason()).isEqualTo(RejectReason.INVALID_ENCODING);
    }

    @Test
    void theSameEventReserializedHasTheSameCanonicalForm() {
        var a = (ReadResult.Accepted) read("case.closed", "{\"caseId\": \"c1\", \"outcome\": \"positive\", \"eventTime\": \"2026-11-23T09:00:00Z\"}");
        var b = (ReadResult.Accepted) read("case.closed", "{ \"eventTime\":\"2026-11-23T09:00:00Z\",\"outcome\":\"positive\",\"caseId\":\"c1\" }");
        assertThat(a.canonicalJson()).isEqualTo(b.canonicalJson());
    }

    @Test
    void visitorProfileValuesNeverAppearInToString() {
        var event = ((ReadResult.Accepted) read("case.visitorProfile",
                "{\"caseId\": \"c1\", \"profile\": {\"email\": \"secret@example.org\"}}")).event();
        assertThat(event.toString()).doesNotContain("secret@example.org");
    }
}
