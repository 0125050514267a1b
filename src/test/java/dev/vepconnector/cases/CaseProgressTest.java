package dev.vepconnector.cases;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.support.CaseRecordSchema;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The emission rules of the case-record contract, decided on a case's progress alone. */
class CaseProgressTest {

    static final Instant T = Instant.parse("2026-11-23T09:00:00Z");
    static final Duration WAIT = Duration.ofMinutes(2);

    @Test
    void closedWithTranscriptEmitsRevisionOne() {
        CaseProgress p = CaseProgress.NEW.withOpened(T).withClosed(T.plusSeconds(60)).withTranscript();
        CaseProgress.Decision d = p.decide(T, WAIT);
        assertThat(d.emit()).isTrue();
        assertThat(d.next().emittedRevision()).isEqualTo(1);
        assertThat(d.next().decide(T, WAIT).emit()).as("nothing new: nothing to emit").isFalse();
    }

    @Test
    void closedWithoutTranscriptWaitsUntilTheDeadlineThenEmitsWithoutIt() {
        CaseProgress.Decision waiting = CaseProgress.NEW.withOpened(T).withClosed(T.plusSeconds(60)).decide(T, WAIT);
        assertThat(waiting.emit()).isFalse();
        assertThat(waiting.next().transcriptDeadline()).isEqualTo(T.plus(WAIT));
        assertThat(waiting.next().decide(T.plus(WAIT).minusMillis(1), WAIT).emit()).isFalse();
        CaseProgress.Decision due = waiting.next().decide(T.plus(WAIT), WAIT);
        assertThat(due.emit()).isTrue();
        assertThat(due.next().transcriptComplete()).isFalse();
        CaseProgress.Decision late = due.next().withTranscript().decide(T.plus(WAIT), WAIT);
        assertThat(late.emit()).as("a late transcript makes a new revision").isTrue();
        assertThat(late.next().emittedRevision()).isEqualTo(2);
    }

    @Test
    void aReopenedCaseWaitsForItsNextClose() {
        CaseProgress first = CaseProgress.NEW.withOpened(T).withClosed(T.plusSeconds(60)).withTranscript().decide(T, WAIT).next();
        CaseProgress reopened = first.withOpened(T.plusSeconds(600));
        assertThat(reopened.decide(T, WAIT).emit()).isFalse();
        CaseProgress closedAgain = reopened.withClosed(T.plusSeconds(700));
        assertThat(closedAgain.decide(T, WAIT).emit()).as("the second close waits for its own transcript").isFalse();
        CaseProgress.Decision second = closedAgain.withTranscript().decide(T, WAIT);
        assertThat(second.emit()).isTrue();
        assertThat(second.next().emittedRevision()).isEqualTo(2);
    }

    @Test
    void aTranscriptAloneEmitsNothing() {
        assertThat(CaseProgress.NEW.withTranscript().decide(T, WAIT).emit()).isFalse();
    }

    @Test
    void theSchemaCatchesARecordBreakingTheContract() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String valid = """
                {"schemaVersion": 1, "caseId": "c-1", "revision": 1, "closedAt": "2026-11-23T09:27:40.003Z",
                 "outcome": "positive", "assignments": [], "transfers": [], "events": [], "transcriptMissing": false}""";
        assertThat(CaseRecordSchema.violations(json.readTree(valid))).isEmpty();
        assertThat(CaseRecordSchema.violations(json.readTree(valid.replace("\"positive\"", "\"great\"")))).contains("outcome");
        assertThat(CaseRecordSchema.violations(json.readTree(valid.replace("09:27:40.003Z", "09:27:40+01:00")))).contains("closedAt");
    }
}
