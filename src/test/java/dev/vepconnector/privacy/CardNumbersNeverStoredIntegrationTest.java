package dev.vepconnector.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.RunningConnector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A card number a visitor types into the chat, or one that reaches the visitor profile, is on no disk
 * the connector writes: not in its database file, not in the record file, not in the API; the rest of
 * the transcript and profile is there, and a redelivered copy is still a duplicate.
 */
class CardNumbersNeverStoredIntegrationTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> CARD_NUMBERS = List.of("4111111111111111", "4111 1111 1111 1111", "5555555555554444");

    final Setup setup = Setup.unique();
    final FakeVep vep = new FakeVep();
    final Path out = setup.dataDirectory().resolve("out");

    @AfterEach
    void cleanUp() {
        vep.deleteQueue(setup.queue());
        vep.deleteExchange(setup.exchange());
        vep.close();
    }

    @Test
    void aCardNumberInAChatOrAProfileIsMaskedBeforeAnythingIsWritten() throws Exception {
        vep.declareExchange(setup.exchange());
        String caseId = "card-case";
        String transcript = """
                {"eventTime": "2026-11-23T09:05:01.000Z", "caseId": "%s", "transcript": {"messages": [
                  {"eventTime": "2026-11-23T09:02:00.000Z", "speaker": {"visitorId": "v-1"}, "messageType": "chat",
                   "message": "My card is 4111 1111 1111 1111, order A-1182"}]}}""".formatted(caseId);
        try (RunningConnector connector = RunningConnector.start(setup.arguments("--vep.sinks.file.directory=" + out,
                "--vep.cases.transcript-wait=1s"))) {
            await().atMost(Duration.ofSeconds(60)).until(connector::isConsuming);
            publish("case.created", """
                    {"eventTime": "2026-11-23T09:00:00.000Z", "caseId": "%s", "caseTypeId": "t"}""".formatted(caseId));
            publish("case.visitorProfile", """
                    {"eventTime": "2026-11-23T09:00:01.000Z", "caseId": "%s", "profile": {"paidWith": "5555555555554444", "orderNo": "A-1182"}}"""
                    .formatted(caseId));
            publish("case.opened", """
                    {"eventTime": "2026-11-23T09:01:00.000Z", "caseId": "%s", "agentId": "a", "groupId": "g"}""".formatted(caseId));
            publish("case.closed", """
                    {"eventTime": "2026-11-23T09:05:00.000Z", "caseId": "%s", "outcome": "positive"}""".formatted(caseId));
            publish("case.transcriptClosed", transcript);
            publish("case.transcriptClosed", transcript);

            Path recordFile = out.resolve("cases").resolve(caseId + ".json");
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(recordFile));
            await().atMost(Duration.ofSeconds(30)).until(() -> connector.jdbc().queryForObject(
                    "SELECT COUNT(*) FROM inbox", Long.class) == 0);
            JsonNode record = JSON.readTree(recordFile.toFile());
            assertThat(record.at("/transcript/messages/0/message").asText()).isEqualTo("My card is **** **** **** 1111, order A-1182");
            assertThat(record.at("/visitorProfile/paidWith").asText()).isEqualTo("************4444");
            assertThat(record.at("/visitorProfile/orderNo").asText()).isEqualTo("A-1182");
            assertThat(connector.jdbc().queryForObject("SELECT COUNT(*) FROM event_log WHERE entity_id = ? AND routing_key = 'case.transcriptClosed'",
                    Long.class, caseId)).as("the redelivered transcript, a duplicate").isEqualTo(1);
            String api = connector.http().get().uri("/api/cases/{id}", caseId).retrieve().body(String.class);
            assertThat(api).contains("**** **** **** 1111").doesNotContain(CARD_NUMBERS);
        }

        List<String> holding = new ArrayList<>();
        try (Stream<Path> files = Files.walk(setup.dataDirectory())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                CARD_NUMBERS.stream().filter(content::contains).forEach(number -> holding.add(file.getFileName() + ": " + number));
            }
        }
        assertThat(holding).as("files written by the connector that hold a card number").isEmpty();
    }

    private void publish(String routingKey, String body) throws Exception {
        vep.publish(setup.exchange(), routingKey, body);
    }
}
