package dev.vepconnector.cases;

import dev.vepconnector.events.CaseClosed;
import dev.vepconnector.events.CaseEvent;
import dev.vepconnector.events.CaseOpened;
import dev.vepconnector.events.CaseTranscriptClosed;
import dev.vepconnector.ingest.IngestProgress;
import dev.vepconnector.ingest.StoredEvent;
import dev.vepconnector.ingest.VepEventHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Correlates case events by caseId and emits a case record revision whenever the contract says one is
 * due (closed and transcribed, transcript wait over, reopened and closed again, late events). Runs in
 * the ingest transaction: the events, the case's progress and the emitted record commit together.
 */
@Component
@Order(20)
public class CaseAggregator implements VepEventHandler {

    private final CaseStateStore store;
    private final CaseRecordEmitter emitter;
    private final CaseProperties properties;
    private final IngestProgress ingest;
    private final Clock clock;

    CaseAggregator(CaseStateStore store, CaseRecordEmitter emitter, CaseProperties properties, IngestProgress ingest, Clock clock) {
        this.store = store;
        this.emitter = emitter;
        this.properties = properties;
        this.ingest = ingest;
        this.clock = clock;
    }

    @Override
    public void apply(List<StoredEvent> events) {
        TreeMap<String, List<CaseEvent>> byCase = new TreeMap<>();
        for (StoredEvent stored : events) {
            if (stored.event() instanceof CaseEvent event) {
                byCase.computeIfAbsent(event.caseId(), id -> new ArrayList<>()).add(event);
            }
        }
        if (byCase.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Map<String, CaseProgress> locked = store.lock(new ArrayList<>(byCase.keySet()), now);
        Map<String, CaseProgress> next = new HashMap<>();
        byCase.forEach((caseId, arrived) -> {
            CaseProgress progress = locked.get(caseId);
            for (CaseEvent event : arrived) {
                progress = arrivedIn(progress, event);
            }
            next.put(caseId, decide(caseId, progress, now));
        });
        store.save(next, now);
    }

    /** Emits the records of cases whose transcript wait is over; returns how many it looked at. */
    @Transactional
    public int emitWhereTranscriptWaitIsOver() {
        Instant now = clock.instant();
        Optional<Instant> upTo = waitsOverUpTo(now, properties.transcriptWait(), ingest.consumingSince(), ingest.oldestUnprocessed());
        List<String> due = upTo.isEmpty() ? List.of() : store.transcriptWaitOver(upTo.get(), 200);
        if (due.isEmpty()) {
            return 0;
        }
        Map<String, CaseProgress> locked = store.lock(due.stream().sorted().toList(), now);
        Map<String, CaseProgress> next = new HashMap<>();
        locked.forEach((caseId, progress) -> next.put(caseId, decide(caseId, progress, now)));
        store.save(next, now);
        return due.size();
    }

    /**
     * Up to when waits for a transcript may be taken as over, or empty: none yet. The contract asks for a
     * transcript that does not follow within the wait, and one VEP sent in time may still be on its way:
     * on the broker, where messages queue while the connector does not consume (a restart, a lost
     * connection), or in the inbox, received but not processed yet. So no wait is over until the
     * connector has consumed for a whole wait since it last began, and then only those that ended before
     * the oldest message still waiting to be processed was received.
     */
    static Optional<Instant> waitsOverUpTo(Instant now, Duration wait, Optional<Instant> consumingSince,
                                           Optional<Instant> oldestUnprocessed) {
        if (consumingSince.isEmpty() || consumingSince.get().plus(wait).isAfter(now)) {
            return Optional.empty();
        }
        return Optional.of(oldestUnprocessed.filter(received -> received.isBefore(now))
                .map(received -> received.minus(Duration.ofNanos(1_000)))
                .orElse(now));
    }

    /** Decides on the case and emits its record if due. */
    private CaseProgress decide(String caseId, CaseProgress progress, Instant now) {
        CaseProgress.Decision decision = progress.decide(now, properties.transcriptWait());
        if (decision.emit()) {
            emitter.emit(caseId, decision.next().emittedRevision(), !decision.next().transcriptComplete(), now);
        }
        return decision.next();
    }

    private static CaseProgress arrivedIn(CaseProgress progress, CaseEvent event) {
        if (event instanceof CaseOpened) {
            return progress.withOpened(event.eventTime());
        } else if (event instanceof CaseClosed) {
            return progress.withClosed(event.eventTime());
        } else if (event instanceof CaseTranscriptClosed) {
            return progress.withTranscript();
        }
        return progress.withOtherEvent();
    }
}
