package dev.vepconnector.retention;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long each class of stored data is kept. Nothing a sink has not yet delivered (or dead-lettered)
 * is purged, nor what an open case needs, nor the configuration caches or the group state.
 *
 * @param events        a case's stored VEP events are purged this long after its latest record was
 *                      delivered to (or dead-lettered by) every sink it was queued for
 * @param groupEvents   stored group and configuration events are purged this long after they were
 *                      received (they are folded into the group state and the configuration caches then)
 * @param caseRecords   emitted case-record revisions (and their deliveries) are purged this long after
 *                      every sink delivered them
 * @param deadLetters   rejected messages and sinks' dead letters are purged this long after they were rejected
 * @param purgeInterval how often the purge looks for what is due. On the embedded database each run rewrites the
 *                      pages the rows it removes were on: rarer runs remove more rows per page rewritten
 * @param batchSize     rows (for events: cases) removed per transaction, so that no purge holds locks for
 *                      long or stalls ingestion; small, because what a transaction removes is also written to its
 *                      undo log, which the embedded database writes to its file while the transaction is open
 * @param maxBatches    transactions per class in one run of the purge; a backlog is worked off over runs
 * @param statsInterval how often the rows, sizes and ages per class ({@code vep_storage_*}) are measured
 */
@Validated
@ConfigurationProperties("vep.retention")
public record RetentionProperties(
        @NotNull @DefaultValue("7d") Duration events,
        @NotNull @DefaultValue("1d") Duration groupEvents,
        @NotNull @DefaultValue("30d") Duration caseRecords,
        @NotNull @DefaultValue("30d") Duration deadLetters,
        @NotNull @DefaultValue("30s") Duration purgeInterval,
        @Min(1) @Max(10_000) @DefaultValue("50") int batchSize,
        @Min(1) @DefaultValue("1000") int maxBatches,
        @NotNull @DefaultValue("1m") Duration statsInterval) {

    /** Classes of stored data, as the metrics' {@code class} tag names them. */
    public enum DataClass {
        EVENTS("events"), GROUP_EVENTS("group-events"), CASE_RECORDS("case-records"), DEAD_LETTERS("dead-letters");

        private final String tag;

        DataClass(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    @AssertTrue(message = "vep.retention.events, group-events, case-records, dead-letters, purge-interval and stats-interval must be positive durations")
    public boolean isEveryDurationPositive() {
        return java.util.stream.Stream.of(events, groupEvents, caseRecords, deadLetters, purgeInterval, statsInterval)
                .allMatch(duration -> duration == null || !(duration.isNegative() || duration.isZero()));
    }

    Duration of(DataClass dataClass) {
        return switch (dataClass) {
            case EVENTS -> events;
            case GROUP_EVENTS -> groupEvents;
            case CASE_RECORDS -> caseRecords;
            case DEAD_LETTERS -> deadLetters;
        };
    }
}
