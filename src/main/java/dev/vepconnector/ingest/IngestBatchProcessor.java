package dev.vepconnector.ingest;

import dev.vepconnector.events.ReadResult;
import dev.vepconnector.events.RejectReason;
import dev.vepconnector.storage.StorageDurability;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores a batch of messages in one transaction: valid events into the event log and, through the
 * {@link VepEventHandler}s, into every feature's state; bad ones into dead letters. When a batch
 * fails for a reason other than the database being unavailable, its messages are stored one by one,
 * so a single poison message is dead-lettered and the rest go through.
 */
@Component
class IngestBatchProcessor {

    private static final Logger log = LoggerFactory.getLogger(IngestBatchProcessor.class);

    private final EventLog eventLog;
    private final DeadLetterStore deadLetters;
    private final List<VepEventHandler> handlers;
    private final TransactionTemplate transaction;
    private final StorageDurability storage;
    private final IngestMetrics metrics;
    private final Clock clock;

    IngestBatchProcessor(EventLog eventLog, DeadLetterStore deadLetters, List<VepEventHandler> handlers,
                         TransactionTemplate transaction, StorageDurability storage, IngestMetrics metrics, Clock clock) {
        this.eventLog = eventLog;
        this.deadLetters = deadLetters;
        this.handlers = handlers;
        this.transaction = transaction;
        this.storage = storage;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Thrown while the database cannot be reached; nothing of the batch was committed. */
    static final class StorageUnavailableException extends RuntimeException {
        StorageUnavailableException(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    /**
     * Stores every message of the batch durably, or throws {@link StorageUnavailableException}; a
     * batch retried after that finds what was stored already and treats it as duplicates.
     */
    void process(List<InboundMessage> batch) {
        store(batch);
        try {
            storage.persistCommitted();
        } catch (RuntimeException e) {
            throw new StorageUnavailableException(e);
        }
    }

    private void store(List<InboundMessage> messages) {
        try {
            Tally tally = transaction.execute(status -> storeInTransaction(messages));
            tally.publish(metrics, clock.instant());
        } catch (RuntimeException e) {
            if (isUnavailable(e)) {
                throw new StorageUnavailableException(e);
            }
            if (messages.size() > 1) {
                log.warn("A batch of {} messages failed to store ({}); storing them one by one", messages.size(), e.toString());
                messages.forEach(message -> store(List.of(message)));
            } else {
                deadLetterUnstorable(messages.get(0), e);
            }
        }
    }

    private Tally storeInTransaction(List<InboundMessage> messages) {
        Tally tally = new Tally();
        List<EventLog.Entry> entries = new ArrayList<>();
        List<DeadLetterStore.Entry> rejected = new ArrayList<>();
        for (InboundMessage m : messages) {
            if (m.read() instanceof ReadResult.Accepted accepted) {
                entries.add(new EventLog.Entry(accepted, m.dedupKey(), m.receivedAt()));
            } else if (m.read() instanceof ReadResult.Rejected r) {
                rejected.add(new DeadLetterStore.Entry(m.routingKey(), m.body(), r.reason(), r.detail(), m.receivedAt()));
                tally.rejected.add(r);
            } else if (m.read() instanceof ReadResult.Ignored ignored) {
                tally.ignored.add(ignored.routingKey());
            }
        }
        if (!rejected.isEmpty()) {
            deadLetters.insert(rejected);
        }
        if (!entries.isEmpty()) {
            boolean[] isNew = eventLog.insert(entries);
            List<StoredEvent> fresh = new ArrayList<>(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                var event = entries.get(i).accepted().event();
                tally.received.add(event);
                if (isNew[i]) {
                    fresh.add(new StoredEvent(event, entries.get(i).receivedAt()));
                } else {
                    tally.duplicates.add(event);
                }
            }
            if (!fresh.isEmpty()) {
                handlers.forEach(handler -> handler.apply(fresh));
            }
        }
        return tally;
    }

    private void deadLetterUnstorable(InboundMessage m, RuntimeException cause) {
        RejectReason reason = cause instanceof DataAccessException ? RejectReason.STORAGE_ERROR : RejectReason.PROCESSING_ERROR;
        String detail = m.routingKey() + " could not be stored: " + cause;
        log.error("Dead-lettering a {} message that could not be stored: {}", m.routingKey(), cause.toString());
        try {
            transaction.executeWithoutResult(status ->
                    deadLetters.insert(List.of(new DeadLetterStore.Entry(m.routingKey(), m.body(), reason, detail, m.receivedAt()))));
            metrics.rejected(reason);
        } catch (RuntimeException e) {
            // Not even the dead letter could be written: hold the message (unacknowledged) rather than lose it.
            log.error("Cannot dead-letter a {} message either ({}); holding it for retry", m.routingKey(), e.toString());
            throw new StorageUnavailableException(e);
        }
    }

    static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TransientDataAccessException || t instanceof DataAccessResourceFailureException
                    || t instanceof RecoverableDataAccessException || t instanceof CannotCreateTransactionException
                    || t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
        }
        return false;
    }

    /** What a committed batch did, counted into metrics only once it is committed. */
    private static final class Tally {
        final List<dev.vepconnector.events.VepEvent> received = new ArrayList<>();
        final List<dev.vepconnector.events.VepEvent> duplicates = new ArrayList<>();
        final List<ReadResult.Rejected> rejected = new ArrayList<>();
        final List<String> ignored = new ArrayList<>();

        void publish(IngestMetrics metrics, Instant storedAt) {
            received.forEach(e -> metrics.received(e.type(), e.eventTime(), storedAt));
            duplicates.forEach(e -> metrics.duplicate(e.type()));
            rejected.forEach(r -> metrics.rejected(r.reason()));
            ignored.forEach(metrics::ignored);
        }
    }
}
