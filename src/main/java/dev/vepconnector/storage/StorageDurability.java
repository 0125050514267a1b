package dev.vepconnector.storage;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Which database holds the connector's state, and how a commit is made to outlive the process.
 * PostgreSQL (the shared, scale-out database) makes every commit durable itself. The embedded H2
 * database runs with a write delay (see application.yaml): its commits reach the file within that
 * delay, in one write for many small transactions such as sink delivery outcomes. Where a commit
 * must not be lost because something outside is told about it next (the broker's acknowledgement,
 * a record a sink delivers), {@link #persistCommitted()} writes it to the file at once, or
 * {@link #persistCommittedShared()} in the next of the writes made at most every
 * {@code vep.storage.write-interval}.
 *
 * <p>Every write of H2's file rewrites each page a commit since the previous write touched, whole (copy on
 * write), and most of the connector's writes touch pages of their own (a case's rows, its index entries):
 * the fewer writes, the more of those changes each page write carries.
 */
@Component
public class StorageDurability {

    private static final long RETRY_NANOS = 100_000;

    private final JdbcTemplate jdbc;
    private final boolean shared;
    private final MVStore embeddedStore;
    private final AtomicLong requests = new AtomicLong();
    private final long writeIntervalNanos;
    private volatile long persistedUpTo;
    private volatile long lastWriteStarted;

    StorageDurability(JdbcTemplate jdbc, StorageProperties properties) {
        this.jdbc = jdbc;
        this.writeIntervalNanos = properties.writeInterval().toNanos();
        this.lastWriteStarted = System.nanoTime() - writeIntervalNanos;
        String product = jdbc.execute((java.sql.Connection c) -> c.getMetaData().getDatabaseProductName());
        String name = product == null ? "" : product.toLowerCase(Locale.ROOT);
        this.shared = name.contains("postgres");
        this.embeddedStore = name.contains("h2") ? jdbc.execute(StorageDurability::h2Store) : null;
    }

    /** True for PostgreSQL: replicas may share it, and it can skip rows other replicas hold locked. */
    public boolean isShared() {
        return shared;
    }

    /**
     * The shortest time between two writes of the embedded database's file for commits that must be durable
     * ({@code vep.storage.write-interval}); zero for PostgreSQL, whose every commit is durable by itself.
     */
    public Duration writeInterval() {
        return embeddedStore == null ? Duration.ZERO : Duration.ofNanos(writeIntervalNanos);
    }

    /** True for the embedded H2 database. */
    public boolean isEmbedded() {
        return embeddedStore != null;
    }

    /**
     * True once the embedded database has closed itself, as H2 does after a write failed (a full disk):
     * it stays closed for this process, whatever space comes back.
     */
    public boolean embeddedDatabaseClosed() {
        return embeddedStore != null && embeddedStore.isClosed();
    }

    /** The size of the embedded database's file (0 for PostgreSQL). */
    public long embeddedFileSize() {
        return embeddedStore == null ? 0 : embeddedStore.getFileStore().size();
    }

    /**
     * Forces what the embedded database has written to its file onto the disk (so a power loss cannot
     * take it); a no-op for PostgreSQL.
     */
    public void syncToDisk() {
        if (embeddedStore != null) {
            embeddedStore.sync();
        }
    }

    /**
     * Writes everything committed so far to the database file (a no-op where commits are durable
     * already). H2's own CHECKPOINT is not enough: while another thread's store write is in progress
     * it returns at once, having written nothing, and that other write may have started before the
     * caller's commit. Only a store write made by this thread, after the commit, is sure to hold it;
     * a change to a marker row makes sure there is something to write.
     */
    public void persistCommitted() {
        persist(false);
    }

    /**
     * As {@link #persistCommitted()}, but the write is made no sooner than {@code vep.storage.write-interval} after
     * the previous one, and holds the commits of every caller that came meanwhile: for callers that can wait
     * that long (a sink about to deliver records), so that they do not each cost a write of their own.
     */
    public void persistCommittedShared() {
        persist(true);
    }

    private void persist(boolean shared) {
        if (embeddedStore == null) {
            return;
        }
        // Taken after the caller's commit: a store write that starts once this ticket is handed out holds that commit.
        long ticket = requests.incrementAndGet();
        if (shared) {
            // Waits outside the lock: a caller that cannot wait (the ingest writer, whose acknowledgements hold the
            // broker's prefetch window) writes meanwhile, and that write holds this caller's commit too.
            for (long left = lastWriteStarted + writeIntervalNanos - System.nanoTime(); left > 0 && persistedUpTo < ticket;
                 left = lastWriteStarted + writeIntervalNanos - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
        }
        synchronized (this) {
            if (persistedUpTo >= ticket) {
                // Group commit: a write made while this caller waited holds its commit already.
                return;
            }
            long covered = requests.get();
            lastWriteStarted = System.nanoTime();
            markUnsaved();
            while (embeddedStore.commit() < 0) {
                if (!embeddedStore.hasUnsavedChanges()) {
                    // Another thread's write took the marker: it may still be under way, so make one of our own.
                    markUnsaved();
                }
                LockSupport.parkNanos(RETRY_NANOS);
            }
            persistedUpTo = covered;
        }
    }

    private void markUnsaved() {
        jdbc.update("UPDATE h2_store_mark SET writes = writes + 1 WHERE id = 1");
    }

    private static MVStore h2Store(java.sql.Connection connection) throws java.sql.SQLException {
        return ((SessionLocal) connection.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore();
    }
}
