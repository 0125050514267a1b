package dev.vepconnector.ingest;

import dev.vepconnector.events.RejectReason;
import dev.vepconnector.storage.StorageDurability;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Puts dead letters back in the {@link Inbox}, where every message taken off the broker goes, so they
 * are processed exactly as if they had just arrived: read again, checked against the event log for
 * duplicates, aggregated into cases and monitoring in inbox order, or dead-lettered again with their
 * new reason. Taking a dead letter out and adding it to the inbox is one transaction: however the
 * process ends, each message is in exactly one of the two. Many are moved a batch
 * ({@code vep.ingest.batch-size}) per transaction, oldest first, and only those there were when the
 * replay began: what fails again is dead-lettered anew and not replayed a second time.
 */
@Component
class DeadLetterReplay {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterReplay.class);

    private final DeadLetterStore deadLetters;
    private final Inbox inbox;
    private final InboxProjector projector;
    private final TransactionTemplate transaction;
    private final StorageDurability storage;
    private final IngestMetrics metrics;
    private final ConnectorProperties properties;
    private final Clock clock;

    DeadLetterReplay(DeadLetterStore deadLetters, Inbox inbox, InboxProjector projector, TransactionTemplate transaction,
                     StorageDurability storage, IngestMetrics metrics, ConnectorProperties properties, Clock clock) {
        this.deadLetters = deadLetters;
        this.inbox = inbox;
        this.projector = projector;
        this.transaction = transaction;
        this.storage = storage;
        this.metrics = metrics;
        this.properties = properties;
        this.clock = clock;
    }

    /** Thrown when the database failed part way; the dead letters moved until then stay moved. */
    static final class ReplayStoppedException extends RuntimeException {
        private final int replayed;

        ReplayStoppedException(int replayed, RuntimeException cause) {
            super(cause.getMessage(), cause);
            this.replayed = replayed;
        }

        int replayed() {
            return replayed;
        }

        boolean databaseUnavailable() {
            return IngestBatchProcessor.isUnavailable(getCause());
        }
    }

    /** Replays one dead letter; false when there is none with that id (never was, or replayed already). */
    boolean replayOne(long id, String requestedBy) {
        List<DeadLetterStore.Replayable> moved;
        try {
            moved = moveToInbox(() -> deadLetters.takeOne(id).map(List::of).orElse(List.of()));
        } catch (RuntimeException e) {
            log.warn("Replay of dead letter {}, asked by {}, failed: {}", id, requestedBy, e.toString());
            throw new ReplayStoppedException(0, e);
        }
        if (moved.isEmpty()) {
            log.info("Replay of dead letter {}, asked by {}: there is no dead letter with that id", id, requestedBy);
            return false;
        }
        log.info("Replayed dead letter {} ({}) into the inbox, asked by {}", id, moved.get(0).reasonCode(), requestedBy);
        return true;
    }

    /** Replays every dead letter of that reason (every reason when null) there is now; returns how many. */
    int replayAll(RejectReason reason, String requestedBy) {
        String code = reason == null ? null : reason.code();
        long upToId = deadLetters.newestId();
        Map<String, Integer> byReason = new TreeMap<>();
        long afterId = 0;
        try {
            while (true) {
                long after = afterId;
                List<DeadLetterStore.Replayable> moved =
                        moveToInbox(() -> deadLetters.takeOldest(code, after, upToId, properties.ingest().batchSize()));
                if (moved.isEmpty()) {
                    break;
                }
                moved.forEach(letter -> byReason.merge(letter.reasonCode(), 1, Integer::sum));
                afterId = moved.get(moved.size() - 1).id();
            }
        } catch (RuntimeException e) {
            log.warn("Replay of dead letters ({}), asked by {}, stopped after {} of them: {}", which(code, byReason), requestedBy,
                    total(byReason), e.toString());
            throw new ReplayStoppedException(total(byReason), e);
        }
        log.info("Replayed {} dead letters ({}) into the inbox, asked by {}", total(byReason), which(code, byReason), requestedBy);
        return total(byReason);
    }

    private List<DeadLetterStore.Replayable> moveToInbox(Supplier<List<DeadLetterStore.Replayable>> take) {
        List<DeadLetterStore.Replayable> moved = transaction.execute(status -> {
            List<DeadLetterStore.Replayable> taken = take.get();
            if (!taken.isEmpty()) {
                inbox.appendReplayed(taken, clock.instant());
            }
            return taken;
        });
        if (!moved.isEmpty()) {
            // Answered as replayed: the move must outlive a crash of the embedded database right after.
            storage.persistCommitted();
            countReplayed(moved);
            projector.wake();
        }
        return moved;
    }

    private void countReplayed(List<DeadLetterStore.Replayable> moved) {
        Map<String, Integer> byReason = new TreeMap<>();
        moved.forEach(letter -> byReason.merge(letter.reasonCode(), 1, Integer::sum));
        byReason.forEach(metrics::replayed);
    }

    /** "reason not-json", or "every reason: missing-field 10, not-json 2". */
    private static String which(String code, Map<String, Integer> byReason) {
        if (code != null) {
            return "reason " + code;
        }
        return "every reason" + (byReason.isEmpty() ? "" : ": " + byReason.entrySet().stream()
                .map(entry -> entry.getKey() + " " + entry.getValue()).collect(Collectors.joining(", ")));
    }

    private static int total(Map<String, Integer> byReason) {
        return byReason.values().stream().mapToInt(Integer::intValue).sum();
    }
}
