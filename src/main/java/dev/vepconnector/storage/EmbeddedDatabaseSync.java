package dev.vepconnector.storage;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Forces the embedded database's file to disk every {@code vep.storage.sync-interval}. H2 writes its
 * file without syncing it, so the operating system flushes it when it likes: on Linux in bursts of 30
 * seconds of writes, during which every other sync on the disk (the file sink's record files) waits
 * for hundreds of milliseconds. Syncing every second keeps each flush small, and a power loss then
 * takes at most about a second of what the database holds instead of half a minute.
 */
@Component
class EmbeddedDatabaseSync implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseSync.class);

    private final StorageDurability storage;
    private final StorageProperties properties;
    private volatile ScheduledExecutorService scheduler;

    EmbeddedDatabaseSync(StorageDurability storage, StorageProperties properties) {
        this.storage = storage;
        this.properties = properties;
    }

    @Override
    public void start() {
        long every = properties.syncInterval().toMillis();
        if (!storage.isEmbedded() || every <= 0) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "vep-db-sync");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::sync, every, every, TimeUnit.MILLISECONDS);
    }

    private void sync() {
        try {
            storage.syncToDisk();
        } catch (RuntimeException e) {
            // Closed during shutdown, or the disk failed: the next writes will say so where it matters.
            log.warn("Cannot force the embedded database to disk: {}", e.toString());
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = scheduler;
        scheduler = null;
        if (running != null) {
            running.shutdown();
            try {
                running.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    /** Stops after everything that writes (the ingest writer is the last of those to stop). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 16384;
    }
}
