package dev.vepconnector.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.support.CaseStream;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.RunningConnector;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A transcript VEP sends while the connector is down waits on the broker; the case's wait for it runs
 * out meanwhile. Started again, the connector takes it in before it gives up on it: the case has one
 * revision, with its transcript, not a revision without it followed by a second.
 */
class TranscriptWaitAcrossRestartTest {

    static final ObjectMapper JSON = new ObjectMapper();

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
    void aTranscriptThatWaitedOnTheBrokerStillCompletesTheFirstRevision() throws Exception {
        vep.declareExchange(setup.exchange());
        String[] arguments = setup.arguments("--vep.cases.transcript-wait=3s", "--vep.cases.sweep-interval=100ms",
                "--vep.sinks.file.directory=" + out, "--logging.level.root=WARN");
        List<String[]> events = CaseStream.lifecycle("restart-case-", 1);
        String caseId = CaseStream.caseId("restart-case-", 1);
        String[] transcript = events.get(events.size() - 1);
        assertThat(transcript[0]).isEqualTo("case.transcriptClosed");

        Instant deadline;
        try (RunningConnector first = RunningConnector.start(arguments)) {
            await().atMost(Duration.ofSeconds(60)).until(first::isConsuming);
            vep.publishAll(setup.exchange(), events.subList(0, events.size() - 1));
            await().atMost(Duration.ofSeconds(30)).until(() -> transcriptDeadline(first, caseId) != null);
            deadline = transcriptDeadline(first, caseId);
        }
        vep.publish(setup.exchange(), transcript[0], transcript[1]);
        await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(deadline));

        try (RunningConnector second = RunningConnector.start(arguments)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> second.jdbc().queryForObject(
                    "SELECT COUNT(*) FROM event_log WHERE entity_id = ? AND routing_key = 'case.transcriptClosed'", Long.class, caseId) == 1);
            List<String> records = second.jdbc().queryForList("SELECT record FROM case_record WHERE case_id = ? ORDER BY revision",
                    String.class, caseId);
            assertThat(records).as("one revision of the case").hasSize(1);
            JsonNode record = JSON.readTree(records.get(0));
            assertThat(record.get("transcriptMissing").asBoolean()).isFalse();
            assertThat(CaseStream.check(1, record, false)).isNull();
        }
    }

    private static Instant transcriptDeadline(RunningConnector connector, String caseId) {
        List<OffsetDateTime> deadline = connector.jdbc().query("SELECT transcript_deadline FROM case_state WHERE case_id = ?",
                (rs, n) -> rs.getObject(1, OffsetDateTime.class), caseId);
        return deadline.isEmpty() || deadline.get(0) == null ? null : deadline.get(0).toInstant();
    }
}
