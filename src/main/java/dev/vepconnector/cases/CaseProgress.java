package dev.vepconnector.cases;

import java.time.Duration;
import java.time.Instant;

/**
 * What has arrived for a case and what its last emitted revision covered: the whole of the state the
 * emission rules of the case-record contract need.
 *
 * @param eventCount         distinct events stored for the case
 * @param closes             case.closed events among them
 * @param transcripts        case.transcriptClosed events among them
 * @param lastOpenedAt       eventTime of the latest case.opened
 * @param lastClosedAt       eventTime of the latest case.closed
 * @param emittedRevision    the last revision emitted (0: none yet)
 * @param emittedCloses      closes covered by that revision
 * @param emittedEventCount  events covered by that revision
 * @param transcriptDeadline when the record goes out without the transcript of the latest close
 */
record CaseProgress(int eventCount, int closes, int transcripts, Instant lastOpenedAt, Instant lastClosedAt,
                    int emittedRevision, int emittedCloses, int emittedEventCount, Instant transcriptDeadline) {

    static final CaseProgress NEW = new CaseProgress(0, 0, 0, null, null, 0, 0, 0, null);

    CaseProgress withOpened(Instant at) {
        return new CaseProgress(eventCount + 1, closes, transcripts, latest(lastOpenedAt, at), lastClosedAt,
                emittedRevision, emittedCloses, emittedEventCount, transcriptDeadline);
    }

    CaseProgress withClosed(Instant at) {
        return new CaseProgress(eventCount + 1, closes + 1, transcripts, lastOpenedAt, latest(lastClosedAt, at),
                emittedRevision, emittedCloses, emittedEventCount, transcriptDeadline);
    }

    CaseProgress withTranscript() {
        return new CaseProgress(eventCount + 1, closes, transcripts + 1, lastOpenedAt, lastClosedAt,
                emittedRevision, emittedCloses, emittedEventCount, transcriptDeadline);
    }

    CaseProgress withOtherEvent() {
        return new CaseProgress(eventCount + 1, closes, transcripts, lastOpenedAt, lastClosedAt,
                emittedRevision, emittedCloses, emittedEventCount, transcriptDeadline);
    }

    /** Opened again after its latest close (an unresolved case being worked on): no record until it closes. */
    boolean reopened() {
        return lastOpenedAt != null && lastClosedAt != null && lastOpenedAt.isAfter(lastClosedAt);
    }

    /** The latest close has its transcript (VEP sends one per close; it may come first). */
    boolean transcriptComplete() {
        return transcripts >= closes;
    }

    /**
     * What to do now: a closed case emits a revision when something arrived since the last one,
     * provided the latest close has its transcript, or its wait for it is over; otherwise it waits for
     * the transcript until a deadline.
     */
    Decision decide(Instant now, Duration transcriptWait) {
        if (closes == 0 || eventCount == emittedEventCount || reopened()) {
            return new Decision(false, withDeadline(null));
        }
        boolean alreadyWaitedForThisClose = closes == emittedCloses && emittedRevision > 0;
        boolean deadlinePassed = transcriptDeadline != null && !now.isBefore(transcriptDeadline);
        if (transcriptComplete() || alreadyWaitedForThisClose || deadlinePassed) {
            return new Decision(true, new CaseProgress(eventCount, closes, transcripts, lastOpenedAt, lastClosedAt,
                    emittedRevision + 1, closes, eventCount, null));
        }
        return new Decision(false, withDeadline(transcriptDeadline != null ? transcriptDeadline : now.plus(transcriptWait)));
    }

    private CaseProgress withDeadline(Instant deadline) {
        return new CaseProgress(eventCount, closes, transcripts, lastOpenedAt, lastClosedAt, emittedRevision, emittedCloses,
                emittedEventCount, deadline);
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    /** @param emit whether a new revision is due; {@code next} is the progress to store either way */
    record Decision(boolean emit, CaseProgress next) {
    }
}
