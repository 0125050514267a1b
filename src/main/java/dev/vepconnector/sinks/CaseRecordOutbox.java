package dev.vepconnector.sinks;

import dev.vepconnector.storage.AfterCommit;
import java.time.Clock;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Queues each emitted case record revision for every enabled sink, in the transaction that emitted it,
 * and wakes their routes' consumers once it commits. No route runs here: what a sink does with a
 * record, and whether it wants it at all, is its own route's business, so nothing a route does can
 * fail the ingestion of a VEP event.
 */
@Component
public class CaseRecordOutbox {

    private final SinkDeliveryStore store;
    private final SinkDeliveries sinks;
    private final Clock clock;

    CaseRecordOutbox(SinkDeliveryStore store, SinkDeliveries sinks, Clock clock) {
        this.store = store;
        this.sinks = sinks;
        this.clock = clock;
    }

    public void enqueue(String caseId, int revision) {
        List<String> enabled = sinks.sinkNames();
        if (enabled.isEmpty()) {
            return;
        }
        store.enqueue(enabled, caseId, revision, clock.instant());
        AfterCommit.run(() -> sinks.wake(enabled));
    }

    /**
     * What the sinks hold of an erased case: its queued revisions and dead letters are removed (those a
     * replica is delivering this moment finish first), and every sink that takes erasure notices gets
     * one, after whatever it still gets of the case. Call in the erasure's transaction.
     *
     * @return the sinks told
     */
    public List<String> erase(String caseId) {
        int last = store.lastRevision(caseId);
        store.removeCase(caseId, clock.instant());
        List<String> told = sinks.erasureNoticeSinks();
        if (!told.isEmpty()) {
            store.enqueueErasure(told, caseId, last + 1, clock.instant());
            AfterCommit.run(() -> sinks.wake(told));
        }
        return told;
    }
}
