package dev.vepconnector.ingest;

import dev.vepconnector.events.RejectReason;
import dev.vepconnector.events.VepEventType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** The operator contract's ingest metrics: received, rejected, ignored, replayed, consume latency. */
@Component
public class IngestMetrics {

    /** Unknown routing keys come from outside: cap how many become separate time series. */
    static final int MAX_IGNORED_TYPES = 50;

    private final MeterRegistry registry;
    private final Map<VepEventType, Counter> received = new EnumMap<>(VepEventType.class);
    private final Map<VepEventType, Counter> duplicates = new EnumMap<>(VepEventType.class);
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
    private final Map<RejectReason, Counter> replayed = new EnumMap<>(RejectReason.class);
    private final Map<String, Counter> ignored = new ConcurrentHashMap<>();
    private final Timer consumeLatency;
    private final DistributionSummary batchSize;
    private final Timer batchDuration;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (VepEventType type : VepEventType.values()) {
            received.put(type, Counter.builder("vep.events.received").tag("type", type.routingKey())
                    .description("Valid VEP events received, duplicates included").register(registry));
            duplicates.put(type, Counter.builder("vep.events.duplicates").tag("type", type.routingKey())
                    .description("Events received again (redelivery or a duplicate from VEP); they change nothing").register(registry));
        }
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(reason, Counter.builder("vep.events.rejected").tag("reason", reason.code())
                    .description("Messages dead-lettered, by reason (a replayed one rejected again counts again)").register(registry));
            replayed.put(reason, Counter.builder("vep.events.replayed").tag("reason", reason.code())
                    .description("Dead letters put back for processing, by the reason they had been rejected for").register(registry));
        }
        consumeLatency = Timer.builder("vep.events.consume.latency")
                .description("From an event's eventTime to the commit of its storage")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        batchSize = DistributionSummary.builder("vep.ingest.batch.size")
                .description("Messages stored and acknowledged together in one transaction")
                .register(registry);
        batchDuration = Timer.builder("vep.ingest.batch.duration")
                .description("Time to store one batch of messages in the inbox (the commit and the write to disk) and acknowledge it")
                .register(registry);
    }

    void batchStored(int messages, Duration took) {
        batchSize.record(messages);
        batchDuration.record(took);
    }

    void received(VepEventType type, Instant eventTime, Instant storedAt) {
        received.get(type).increment();
        Duration latency = Duration.between(eventTime, storedAt);
        if (!latency.isNegative()) {
            consumeLatency.record(latency);
        }
    }

    /** A replayed message accepted: received now, but its eventTime says nothing about the consume latency. */
    void receivedOnReplay(VepEventType type) {
        received.get(type).increment();
    }

    void duplicate(VepEventType type) {
        duplicates.get(type).increment();
    }

    void rejected(RejectReason reason) {
        rejected.get(reason).increment();
    }

    void replayed(String reasonCode, int messages) {
        RejectReason.ofCode(reasonCode).ifPresent(reason -> replayed.get(reason).increment(messages));
    }

    void ignored(String routingKey) {
        String tag = routingKey == null || routingKey.isEmpty() ? "(none)" : routingKey;
        if (!ignored.containsKey(tag) && ignored.size() >= MAX_IGNORED_TYPES) {
            tag = "(other)";
        }
        ignored.computeIfAbsent(tag, t -> Counter.builder("vep.events.ignored").tag("type", t)
                .description("Messages of routing keys the interface does not define, skipped").register(registry))
                .increment();
    }
}
