package dev.vepconnector.sinks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** One sink's delivery metrics (operator contract: delivered, failed, retried, dead-lettered, latency). */
final class SinkMetrics {

    final Counter delivered;
    final Counter failed;
    final Counter retried;
    final Counter deadLettered;
    final Timer latency;
    final AtomicLong pending = new AtomicLong();
    final AtomicLong deadLetters = new AtomicLong();

    SinkMetrics(String sink, MeterRegistry registry) {
        delivered = Counter.builder("vep.sink.delivered").tag("sink", sink)
                .description("Case record revisions delivered").register(registry);
        failed = Counter.builder("vep.sink.failed").tag("sink", sink)
                .description("Delivery attempts that failed").register(registry);
        retried = Counter.builder("vep.sink.retried").tag("sink", sink)
                .description("Failed deliveries scheduled for another attempt").register(registry);
        deadLettered = Counter.builder("vep.sink.dead.lettered").tag("sink", sink)
                .description("Deliveries given up (attempts exhausted or refused) and kept as the sink's dead letters").register(registry);
        latency = Timer.builder("vep.sink.delivery.latency").tag("sink", sink)
                .description("From a record's emission to its delivery").publishPercentiles(0.5, 0.99).register(registry);
        Gauge.builder("vep.sink.pending", pending, AtomicLong::get).tag("sink", sink)
                .description("Deliveries waiting in the sink's queue").register(registry);
        Gauge.builder("vep.sink.dead.letters", deadLetters, AtomicLong::get).tag("sink", sink)
                .description("Dead letters of the sink waiting for replay").register(registry);
    }

    void delivered(Duration sinceEmission) {
        delivered.increment();
        latency.record(sinceEmission.isNegative() ? Duration.ZERO : sinceEmission);
    }
}
