package dev.vepconnector.sinks;

import dev.vepconnector.cases.CaseRecordEmitter;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;
import dev.vepconnector.storage.AfterCommit;

/**
 * The bean the case-records route calls ({@code caseRecordOutbox}): queues a record for sinks, in the
 * transaction that emitted it, and wakes their delivery workers once it commits. Sinks named but not
 * enabled are skipped, so a route keeps working when an operator switches a sink off.
 */
@Component("caseRecordOutbox")
public class CaseRecordOutbox {

    private final SinkDeliveryStore store;
    private final SinkDeliveryWorkers workers;
    private final Clock clock;

    CaseRecordOutbox(SinkDeliveryStore store, SinkDeliveryWorkers workers, Clock clock) {
        this.store = store;
        this.workers = workers;
        this.clock = clock;
    }

    /** Queues the exchange's record for every enabled sink. */
    public void toEnabledSinks(Exchange exchange) {
        enqueue(exchange, workers.sinkNames());
    }

    /** Queues the exchange's record for the named sinks (comma-separated) that are enabled. */
    public void toSinks(Exchange exchange, String names) {
        List<String> enabled = workers.sinkNames();
        enqueue(exchange, Arrays.stream(names.split(",")).map(String::trim).filter(enabled::contains).distinct().toList());
    }

    private void enqueue(Exchange exchange, List<String> sinks) {
        if (sinks.isEmpty()) {
            return;
        }
        String caseId = exchange.getMessage().getHeader(CaseRecordEmitter.HEADER_CASE_ID, String.class);
        Integer revision = exchange.getMessage().getHeader(CaseRecordEmitter.HEADER_REVISION, Integer.class);
        if (caseId == null || revision == null) {
            throw new IllegalArgumentException("A case record needs the headers " + CaseRecordEmitter.HEADER_CASE_ID + " and "
                    + CaseRecordEmitter.HEADER_REVISION);
        }
        store.enqueue(sinks, caseId, revision, clock.instant());
        AfterCommit.run(() -> workers.wake(sinks));
    }
}
