package dev.vepconnector.storage;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code embeddedDatabase} health component, part of liveness: DOWN once the embedded database has
 * closed itself after a failed write (the disk ran full before the low-disk stop could help, or it is
 * switched off). Nothing stored is lost then, and what was not stored was not acknowledged, but this
 * process cannot write again: a restart reopens the database, so Kubernetes is told to restart it.
 */
@Component("embeddedDatabase")
class EmbeddedDatabaseHealth implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseHealth.class);
    static final String PROBLEM = "The embedded database closed itself after a write failed (was the disk full?). Everything it had "
            + "stored is kept and unstored messages were not acknowledged; restart the connector to reopen it "
            + "(Kubernetes does so, liveness being down).";

    private final StorageDurability storage;
    private final AtomicBoolean reported = new AtomicBoolean();

    EmbeddedDatabaseHealth(StorageDurability storage) {
        this.storage = storage;
    }

    @Override
    public Health health() {
        if (!storage.isEmbedded()) {
            return Health.up().withDetail("database", "shared (PostgreSQL)").build();
        }
        if (!storage.embeddedDatabaseClosed()) {
            return Health.up().build();
        }
        if (reported.compareAndSet(false, true)) {
            log.error(PROBLEM);
        }
        return Health.down().withDetail("problem", PROBLEM).build();
    }
}
