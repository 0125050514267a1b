package dev.vepconnector.sinks;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The enabled sinks and what is known of each: its metrics, its last delivery and error, and the
 * {@code vep-sink} consumer of its route that delivers its queue. Outbox and API go through here; the
 * consumers do the delivering.
 */
@Component
public class SinkDeliveries {

    private static final Logger log = LoggerFactory.getLogger(SinkDeliveries.class);

    private final Map<String, SinkState> sinks = new LinkedHashMap<>();
    private final SinkDeliveryStore store;
    /** Who holds a lease: replicas sharing PostgreSQL tell their claims apart by it. */
    private final String owner = hostName() + "/" + UUID.randomUUID().toString().substring(0, 8);

    SinkDeliveries(SinksProperties properties, SinkDeliveryStore store, MeterRegistry registry) {
        this.store = store;
        for (String name : properties.enabledSinks()) {
            sinks.put(name, new SinkState(name, properties.sink(name), new SinkMetrics(name, registry)));
        }
    }

    @PostConstruct
    void releaseStaleLeases() {
        int released = store.releaseStaleLeases();
        if (released > 0) {
            log.info("Released {} deliveries left in flight by the previous run", released);
        }
    }

    /** A sink switched on that no route consumes keeps its records waiting: say so once Camel has started its routes. */
    @EventListener(ApplicationReadyEvent.class)
    void warnOfSinksWithoutRoute(ApplicationReadyEvent ready) throws Exception {
        CamelContext camel = ready.getApplicationContext().getBean(CamelContext.class);
        camel.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                if (alreadyStarted) {
                    warnOfSinksWithoutRoute();
                }
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                warnOfSinksWithoutRoute();
            }
        });
    }

    private void warnOfSinksWithoutRoute() {
        sinks.values().stream().filter(sink -> sink.consumer == null).forEach(sink -> log.warn(
                "Sink {} is switched on (vep.sinks.{}.enabled) but no route consumes vep-sink:{}: its records are queued and wait "
                        + "(check camel.main.routes-include-pattern)", sink.name, sink.name, sink.name));
    }

    /** The enabled sinks: each record is queued for every one of them. */
    public List<String> sinkNames() {
        return List.copyOf(sinks.keySet());
    }

    /** The enabled sinks whose routes are told of erasures ({@code vep.sinks.<name>.erasure-notices}). */
    public List<String> erasureNoticeSinks() {
        return sinks.values().stream().filter(sink -> sink.settings.erasureNotices()).map(sink -> sink.name).toList();
    }

    String owner() {
        return owner;
    }

    /** The enabled sink of that name, or null. */
    SinkState sink(String name) {
        return sinks.get(name);
    }

    void wake(List<String> names) {
        for (String name : names) {
            SinkState sink = sinks.get(name);
            VepSinkConsumer consumer = sink == null ? null : sink.consumer;
            if (consumer != null) {
                consumer.wake();
            }
        }
    }

    /** The state of each enabled sink, for the API and the dashboard. */
    public List<SinkStatus> status() {
        return sinks.values().stream().map(this::status).toList();
    }

    private SinkStatus status(SinkState sink) {
        if (sink.consumer == null) {
            // Nothing delivers this sink's queue, so nothing keeps its counts current.
            sink.refreshCounts(store);
        }
        SinkMetrics metrics = sink.metrics;
        return new SinkStatus(sink.name, sink.route, metrics.pending.get(), metrics.deadLetters.get(), (long) metrics.delivered.count(),
                sink.lastDeliveredAt, sink.lastError, sink.lastErrorAt);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown-host";
        }
    }

    /**
     * What the API shows of a sink.
     *
     * @param route the route consuming {@code vep-sink:<name>}; null when none does (records wait)
     */
    public record SinkStatus(String name, String route, long pending, long deadLetters, long delivered,
                             Instant lastDeliveredAt, String lastError, Instant lastErrorAt) {
    }

    /** One enabled sink. */
    static final class SinkState {

        final String name;
        final SinksProperties.Sink settings;
        final SinkMetrics metrics;
        volatile VepSinkConsumer consumer;
        volatile String route;
        volatile Instant lastDeliveredAt;
        volatile String lastError;
        volatile Instant lastErrorAt;

        SinkState(String name, SinksProperties.Sink settings, SinkMetrics metrics) {
            this.name = name;
            this.settings = settings;
            this.metrics = metrics;
        }

        void refreshCounts(SinkDeliveryStore store) {
            metrics.pending.set(store.count(name, SinkDeliveryStore.PENDING));
            metrics.deadLetters.set(store.count(name, SinkDeliveryStore.DEAD));
        }

        void noteError(String error, Instant at) {
            lastError = error;
            lastErrorAt = at;
        }
    }
}
