package dev.vepconnector.sinks;

import dev.vepconnector.storage.StorageDurability;
import java.time.Clock;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code vep-sink:<name>} component: a route that starts {@code from: vep-sink:<name>} is the sink
 * {@code <name>}. Its consumer takes that sink's records from the durable delivery queue and hands them
 * to the route one exchange per record revision; how the exchange ends is the delivery's outcome.
 */
@Component("vep-sink")
public class VepSinkComponent extends DefaultComponent {

    private final SinkDeliveries sinks;
    private final SinkDeliveryStore store;
    private final TransactionTemplate transaction;
    private final StorageDurability storage;
    private final SinkFailures failures;
    private final Clock clock;

    VepSinkComponent(SinkDeliveries sinks, SinkDeliveryStore store, TransactionTemplate transaction, StorageDurability storage,
                     SinkFailures failures, Clock clock) {
        this.sinks = sinks;
        this.store = store;
        this.transaction = transaction;
        this.storage = storage;
        this.failures = failures;
        this.clock = clock;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException("vep-sink needs the sink's name: vep-sink:<name>, with its settings in vep.sinks.<name>.*");
        }
        return new VepSinkEndpoint(uri, this, remaining);
    }

    SinkDeliveries sinks() {
        return sinks;
    }

    SinkDeliveryStore store() {
        return store;
    }

    TransactionTemplate transaction() {
        return transaction;
    }

    StorageDurability storage() {
        return storage;
    }

    SinkFailures failures() {
        return failures;
    }

    Clock clock() {
        return clock;
    }
}
