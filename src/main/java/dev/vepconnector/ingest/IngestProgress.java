package dev.vepconnector.ingest;

import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * How far the connector has taken in what VEP sent, for features that wait for an event that may still
 * come (a case's transcript): since when it has been consuming without a break, and when the oldest
 * message it received but has not processed yet came in.
 */
@Component
public class IngestProgress {

    private final BrokerTopology topology;
    private final Inbox inbox;

    IngestProgress(BrokerTopology topology, Inbox inbox) {
        this.topology = topology;
        this.inbox = inbox;
    }

    /** Since the start or the last reconnect; empty while the connector does not consume. */
    public Optional<Instant> consumingSince() {
        return Optional.ofNullable(topology.consumingSince());
    }

    /** The receipt of the oldest message waiting in the inbox; empty when every message received is processed. */
    public Optional<Instant> oldestUnprocessed() {
        return Optional.ofNullable(inbox.oldestReceivedAt());
    }
}
