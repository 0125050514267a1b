package dev.vepconnector.config;

import dev.vepconnector.events.EntityKind;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Objects;
import org.springframework.stereotype.Component;

/** Cache sizes and the time of the last change, per configuration class. */
@Component
class ConfigurationMetrics {

    ConfigurationMetrics(ConfigurationCaches caches, MeterRegistry registry) {
        for (EntityKind kind : EntityKind.values()) {
            Gauge.builder("vep.config.entities", caches, c -> c.entries().stream().filter(e -> e.kind() == kind).count())
                    .tag("kind", kind.path()).description("Configured entities known to the connector")
                    .register(registry);
            Gauge.builder("vep.config.last.update.timestamp", caches, c -> lastUpdate(c, kind))
                    .tag("kind", kind.path()).baseUnit("seconds")
                    .description("When the connector last changed an entity of this class (unix time; 0: never)")
                    .register(registry);
        }
    }

    private static double lastUpdate(ConfigurationCaches caches, EntityKind kind) {
        return caches.entries().stream().filter(e -> e.kind() == kind).map(ConfiguredEntity::updatedAt)
                .filter(Objects::nonNull).max(Instant::compareTo).map(i -> i.toEpochMilli() / 1000.0).orElse(0.0);
    }
}
