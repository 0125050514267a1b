package dev.vepconnector.sinks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log lines of one sink's failures, so that a receiver down for an hour makes a few dozen lines,
 * not one per attempt: the first failed attempt of a run of them at WARN with its error, then while
 * they go on a summary at most once per {@link #SUMMARY_EVERY}, and one INFO line when a delivery
 * succeeds again. Dead-lettered records likewise at ERROR: the first, then at most one line per
 * interval that counts those in between. Every attempt is still counted in the sink's metrics and
 * shown in {@code /api/sinks}.
 */
final class SinkFailureLog {

    static final Duration SUMMARY_EVERY = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(SinkFailureLog.class);

    private final String sink;
    private final Clock clock;
    private Instant failingSince;
    private int failedAttempts;
    private int failedSinceLastLine;
    private Instant lastFailureLine;
    private int deadSinceLastLine;
    private Instant lastDeadLine;

    SinkFailureLog(String sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    synchronized void retrying(String caseId, int revision, int attempt, Duration pause, String error) {
        Instant now = clock.instant();
        failedAttempts++;
        if (failingSince == null) {
            failingSince = now;
            lastFailureLine = now;
            log.warn("Sink {}: delivery of case {} revision {} failed (attempt {}), retrying in {} ms: {}", sink, caseId, revision,
                    attempt, pause.toMillis(), error);
            return;
        }
        failedSinceLastLine++;
        if (due(lastFailureLine, now)) {
            log.warn("Sink {}: still failing since {}: {} more failed attempts, next in {} ms; last error: {}", sink, failingSince,
                    failedSinceLastLine, pause.toMillis(), error);
            failedSinceLastLine = 0;
            lastFailureLine = now;
        } else {
            log.debug("Sink {}: delivery of case {} revision {} failed (attempt {}): {}", sink, caseId, revision, attempt, error);
        }
    }

    synchronized void delivered() {
        if (failingSince != null) {
            log.info("Sink {}: delivering again, after {} failed attempts since {}", sink, failedAttempts, failingSince);
            failingSince = null;
            failedAttempts = 0;
            failedSinceLastLine = 0;
        }
    }

    synchronized void deadLettered(String caseId, int revision, int attempts, String error) {
        Instant now = clock.instant();
        if (lastDeadLine == null || due(lastDeadLine, now)) {
            String earlier = deadSinceLastLine == 0 ? "" : " (and " + deadSinceLastLine + " more since the last such line)";
            log.error("Sink {}: case {} revision {} dead-lettered after {} attempt(s){}: {}; see /api/sinks/{}/dead-letters", sink, caseId,
                    revision, attempts, earlier, error, sink);
            deadSinceLastLine = 0;
            lastDeadLine = now;
        } else {
            deadSinceLastLine++;
            log.debug("Sink {}: case {} revision {} dead-lettered after {} attempt(s): {}", sink, caseId, revision, attempts, error);
        }
    }

    private static boolean due(Instant last, Instant now) {
        return !now.isBefore(last.plus(SUMMARY_EVERY));
    }
}
