package dev.vepconnector.ingest;

import dev.vepconnector.events.CaseEvent;
import dev.vepconnector.events.ReadResult;
import dev.vepconnector.events.RejectReason;
import dev.vepconnector.events.VepEventReader;
import dev.vepconnector.privacy.ErasedCases;
import dev.vepconnector.storage.StorageDurability;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
 * Processes the messages stored in the {@link Inbox}, oldest first, a batch per transaction: valid
 * events into the event log and, through the {@link VepEventHandler}s, into every feature's state;
 * bad ones into dead letters; and the batch out of the inbox, all in that one transaction. When a
 * batch fails for a reason other than the database being unavailable, its messages are processed one
 * by one, so a single poison message is dead-lettered and the rest go through.
 */
@Component
class IngestBatchProcessor {

    private static final Logger log = LoggerFactory.getLogger(IngestBatchProcessor.class);

    private final Inbox inbox;
    private final EventLog eventLog;
    private final DeadLetterStore deadLetters;
    private final List<VepEventHandler> handlers;
    private final TransactionTemplate transaction;
    private final StorageDurability storage;
    private final IngestMetrics metrics;
    private final VepEventReader reader = new VepEventReader();
    private final ErasedCases erasedCases;
    private final Clock clock;

    IngestBatchProcessor(Inbox inbox, EventLog eventLog, DeadLetterStore deadLetters, List<VepEventHandler> handlers,
                         TransactionTemplate transaction, StorageDurability storage, IngestMetrics metrics, ErasedCases erasedCases,
                         Clock clock) {
        this.inbox = inbox;
        this.eventLog = eventLog;
        this.deadLetters = deadLetters;
        this.handlers = handlers;
        this.transaction = transaction;
        this.storage = storage;
        this.metrics = metrics;
        this.erasedCases = erasedCases;
        this.clock = clock;
    }

    /** Thrown while the database cannot be reached; nothing of the batch was committed. */
    static final class StorageUnavailableException extends RuntimeException {
        StorageUnavailableException(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** A stored message, read: an event (with the key its duplicates share), a rejection, or an unknown type. */
    private record Received(Inbox.Message message, ReadResult read, String dedupKey) {
    }

    /**
     * Stores a batch of messages taken off the broker in the inbox, durably (written to disk on the
     * embedded database), or throws {@link StorageUnavailableException}.
     */
    void storeInInbox(List<InboundMessage> batch) {
        try {
            transaction.executeWithoutResult(status -> inbox.append(batch));
            storage.persistCommitted();
        } catch (RuntimeException e) {
            throw new StorageUnavailableException(e);
        }
    }

    /**
     * Processes up to {@code limit} of the oldest messages in the inbox and returns how many it took,
     * or throws {@link StorageUnavailableException}, leaving them in the inbox.
     */
    int processNext(int limit) {
        List<Received> taken = new ArrayList<>();
        try {
            Tally tally = transaction.execute(status -> {
                inbox.take(limit).forEach(message -> taken.add(read(message)));
                return taken.isEmpty() ? new Tally() : processInTransaction(taken);
            });
            tally.publish(metrics, clock.instant());
        } catch (RuntimeException e) {
            if (isUnavailable(e)) {
                throw new StorageUnavailableException(e);
            }
            log.warn("A batch of {} messages failed to process ({}); processing them one by one", taken.size(), e.toString());
            taken.forEach(this::processAlone);
        }
        return taken.size();
    }

    private Received read(Inbox.Message message) {
        ReadResult read;
        try {
            read = reader.read(message.routingKey(), message.body(), message.receivedAt());
        } catch (RuntimeException e) {
            // A bug in reading must dead-letter the message, not leave it in the inbox forever.
            read = new ReadResult.Rejected(RejectReason.PROCESSING_ERROR, message.routingKey() + " could not be read: " + e);
        }
        String dedupKey = read instanceof ReadResult.Accepted accepted ? EventLog.dedupKey(accepted) : null;
        return new Received(message, read, dedupKey);
    }

    private void processAlone(Received received) {
        try {
            Tally tally = transaction.execute(status ->
                    inbox.lock(received.message().id()) ? processInTransaction(List.of(received)) : new Tally());
            tally.publish(metrics, clock.instant());
        } catch (RuntimeException e) {
            if (isUnavailable(e)) {
                throw new StorageUnavailableException(e);
            }
            deadLetterUnprocessable(received.message(), e);
        }
    }

    private Tally processInTransaction(List<Received> messages) {
        Tally tally = new Tally();
        List<EventLog.Entry> entries = new ArrayList<>();
        List<Inbox.Message> acceptedMessages = new ArrayList<>();
        List<DeadLetterStore.Entry> rejected = new ArrayList<>();
        for (Received m : messages) {
            Inbox.Message message = m.message();
            if (m.read() instanceof ReadResult.Accepted event) {
                entries.add(new EventLog.Entry(event, m.dedupKey(), message.receivedAt()));
                acceptedMessages.add(message);
            } else if (m.read() instanceof ReadResult.Rejected r) {
                rejected.add(new DeadLetterStore.Entry(message.routingKey(), message.body(), r.reason(), r.detail(), message.receivedAt()));
                tally.rejected.add(r);
            } else if (m.read() instanceof ReadResult.Ignored ignored) {
                tally.ignored.add(ignored.routingKey());
            }
        }
        if (!rejected.isEmpty()) {
            deadLetters.insert(rejected);
        }
        dropEventsOfErasedCases(entries, acceptedMessages);
        if (!entries.isEmpty()) {
            boolean[] isNew = eventLog.insert(entries);
            List<StoredEvent> fresh = new ArrayList<>(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                var event = entries.get(i).accepted().event();
                (acceptedMessages.get(i).replayed() ? tally.receivedOnReplay : tally.received).add(event);
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
        inbox.remove(messages.stream().map(Received::message).toList());
        return tally;
    }

    /** An erased case stays erased: its events still on the way are not stored. */
    private void dropEventsOfErasedCases(List<EventLog.Entry> entries, List<Inbox.Message> acceptedMessages) {
        List<String> caseIds = entries.stream().map(entry -> entry.accepted().event())
                .filter(CaseEvent.class::isInstance).map(event -> ((CaseEvent) event).caseId()).toList();
        Set<String> erased = erasedCases.among(caseIds);
        if (erased.isEmpty()) {
            return;
        }
        int before = entries.size();
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).accepted().event() instanceof CaseEvent event && erased.contains(event.caseId())) {
                entries.remove(i);
                acceptedMessages.remove(i);
            }
        }
        erasedCases.dropped(before - entries.size());
    }

    private void deadLetterUnprocessable(Inbox.Message m, RuntimeException cause) {
        RejectReason reason = cause instanceof DataAccessException ? RejectReason.STORAGE_ERROR : RejectReason.PROCESSING_ERROR;
        String detail = m.routingKey() + " could not be stored: " + cause;
        log.error("Dead-lettering a {} message that could not be stored: {}", m.routingKey(), cause.toString());
        try {
            transaction.executeWithoutResult(status -> {
                deadLetters.insert(List.of(new DeadLetterStore.Entry(m.routingKey(), m.body(), reason, detail, m.receivedAt())));
                inbox.remove(List.of(m));
            });
            metrics.rejected(reason);
        } catch (RuntimeException e) {
            // Not even the dead letter could be written: the message stays in the inbox for the next attempt.
            log.error("Cannot dead-letter a {} message either ({}); keeping it in the inbox", m.routingKey(), e.toString());
            throw new StorageUnavailableException(e);
        }
    }

    static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TemporarilyUnavailableException || t instanceof TransientDataAccessException || t instanceof DataAccessResourceFailureException
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
        final List<dev.vepconnector.events.VepEvent> receivedOnReplay = new ArrayList<>();
        final List<dev.vepconnector.events.VepEvent> duplicates = new ArrayList<>();
        final List<ReadResult.Rejected> rejected = new ArrayList<>();
        final List<String> ignored = new ArrayList<>();

        void publish(IngestMetrics metrics, Instant storedAt) {
            received.forEach(e -> metrics.received(e.type(), e.eventTime(), storedAt));
            receivedOnReplay.forEach(e -> metrics.receivedOnReplay(e.type()));
            duplicates.forEach(e -> metrics.duplicate(e.type()));
            rejected.forEach(r -> metrics.rejected(r.reason()));
            ignored.forEach(metrics::ignored);
        }
    }
}
