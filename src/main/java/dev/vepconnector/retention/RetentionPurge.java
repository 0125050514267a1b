package dev.vepconnector.retention;

import dev.vepconnector.retention.RetentionProperties.DataClass;
import dev.vepconnector.storage.StorageDurability;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Removes stored data once its retention is over ({@link RetentionProperties}), continuously and in
 * small transactions, so that it never holds locks for long or stalls ingestion. On PostgreSQL one
 * replica at a time purges a class (a transaction-scoped advisory lock); the others skip that round.
 */
@Component
class RetentionPurge {

    private static final Logger log = LoggerFactory.getLogger(RetentionPurge.class);
    private static final Duration WARN_EVERY = Duration.ofMinutes(5);
    /** Advisory lock keys, one per class ("vepR" and the class's ordinal). */
    private static final long LOCK_KEY = 0x76657052_00000000L;

    private final RetentionStore store;
    private final RetentionProperties properties;
    private final TransactionTemplate transaction;
    private final boolean shared;
    private final Clock clock;
    private final Map<DataClass, Counter> purged = new EnumMap<>(DataClass.class);
    private Instant lastWarning;

    RetentionPurge(RetentionStore store, RetentionProperties properties, TransactionTemplate transaction, StorageDurability storage,
                   Clock clock, MeterRegistry registry) {
        this.store = store;
        this.properties = properties;
        this.transaction = transaction;
        this.shared = storage.isShared();
        this.clock = clock;
        for (DataClass dataClass : DataClass.values()) {
            purged.put(dataClass, Counter.builder("vep.retention.purged").tag("class", dataClass.tag())
                    .description("Rows removed by the retention purge").register(registry));
        }
    }

    @Scheduled(fixedDelayString = "${vep.retention.purge-interval:5s}", initialDelayString = "${vep.retention.purge-interval:5s}")
    void run() {
        for (DataClass dataClass : DataClass.values()) {
            try {
                purge(dataClass);
            } catch (RuntimeException e) {
                // The database may be down for a moment, or busy: the next run goes on where this one stopped.
                warnAtMostEvery(dataClass, e);
            }
        }
    }

    /** Purges what is due of one class, a batch per transaction, up to {@code max-batches}; returns the rows removed. */
    int purge(DataClass dataClass) {
        int removed = 0;
        for (int batch = 0; batch < properties.maxBatches(); batch++) {
            Batch done = transaction.execute(status -> shared && !store.tryLockShared(LOCK_KEY + dataClass.ordinal())
                    ? Batch.NONE : purgeBatch(dataClass, clock.instant()));
            removed += done.removed();
            purged.get(dataClass).increment(done.removed());
            if (!done.more()) {
                break;
            }
        }
        if (removed > 0) {
            log.debug("Retention: purged {} rows of {}", removed, dataClass.tag());
        }
        return removed;
    }

    /** Rows removed by one transaction, and whether a full batch suggests that more are due. */
    private record Batch(int removed, boolean more) {
        static final Batch NONE = new Batch(0, false);
    }

    private Batch purgeBatch(DataClass dataClass, Instant now) {
        Instant cutoff = now.minus(properties.of(dataClass));
        int limit = properties.batchSize();
        return switch (dataClass) {
            case EVENTS -> purgeCaseEvents(cutoff, limit, now);
            case GROUP_EVENTS -> purgeStateEvents(cutoff, limit);
            case CASE_RECORDS -> purgeRecords(cutoff, now.minus(properties.deadLetters()), limit);
            case DEAD_LETTERS -> purgeDeadLetters(cutoff, limit);
        };
    }

    private Batch purgeCaseEvents(Instant cutoff, int limit, Instant now) {
        List<String> candidates = store.casesWithEventsDue(cutoff, limit);
        if (candidates.isEmpty()) {
            return Batch.NONE;
        }
        List<String> due = store.lockCasesWithEventsDue(candidates, cutoff);
        int removed = due.isEmpty() ? 0 : store.purgeCaseEvents(due, now);
        return new Batch(removed, candidates.size() == limit);
    }

    private Batch purgeStateEvents(Instant cutoff, int limit) {
        int removed = 0;
        boolean more = false;
        for (String routingKey : RetentionStore.STATE_ROUTING_KEYS) {
            List<Long> ids = store.stateEventsDue(routingKey, cutoff, limit);
            removed += store.deleteEvents(ids);
            more |= ids.size() == limit;
        }
        return new Batch(removed, more);
    }

    private Batch purgeRecords(Instant cutoff, Instant deadLettersCutoff, int limit) {
        List<RetentionStore.Revision> candidates = store.revisionsDue(cutoff, deadLettersCutoff, limit);
        if (candidates.isEmpty()) {
            return Batch.NONE;
        }
        List<RetentionStore.Revision> due = store.lockRevisionsDue(candidates, cutoff, deadLettersCutoff);
        int removed = due.isEmpty() ? 0 : store.purgeRevisions(due);
        return new Batch(removed, candidates.size() == limit);
    }

    private Batch purgeDeadLetters(Instant cutoff, int limit) {
        List<Long> rejected = store.rejectedMessagesDue(cutoff, limit);
        List<Long> sinkDead = store.sinkDeadLettersDue(cutoff, limit);
        int removed = store.deleteRejectedMessages(rejected) + store.deleteSinkDeadLetters(sinkDead);
        return new Batch(removed, rejected.size() == limit || sinkDead.size() == limit);
    }

    private synchronized void warnAtMostEvery(DataClass dataClass, RuntimeException e) {
        Instant now = clock.instant();
        if (lastWarning == null || !now.isBefore(lastWarning.plus(WARN_EVERY))) {
            lastWarning = now;
            log.warn("Retention: could not purge {} this time, trying again in {} ({}); further failures are logged at most every {}",
                    dataClass.tag(), properties.purgeInterval(), e.toString(), WARN_EVERY);
        } else {
            log.debug("Retention: could not purge {}: {}", dataClass.tag(), e.toString());
        }
    }
}
