package dev.vepconnector.storage;

import java.util.Locale;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Which database holds the connector's state, and how a commit is made to outlive the process.
 * PostgreSQL (the shared, scale-out database) makes every commit durable itself. The embedded H2
 * database runs with a write delay (see application.yaml): its commits reach the file within that
 * delay, in one write for many small transactions such as sink delivery outcomes. Where a commit
 * must not be lost because the broker is told about it next (the ingest acknowledgement),
 * {@link #persistCommitted()} writes it to the file at once.
 */
@Component
public class StorageDurability {

    private final JdbcTemplate jdbc;
    private final boolean shared;
    private final boolean embedded;

    StorageDurability(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        String product = jdbc.execute((java.sql.Connection c) -> c.getMetaData().getDatabaseProductName());
        String name = product == null ? "" : product.toLowerCase(Locale.ROOT);
        this.shared = name.contains("postgres");
        this.embedded = name.contains("h2");
    }

    /** True for PostgreSQL: replicas may share it, and it can skip rows other replicas hold locked. */
    public boolean isShared() {
        return shared;
    }

    /** Writes everything committed so far to the database file (a no-op where commits are durable already). */
    public void persistCommitted() {
        if (embedded) {
            jdbc.execute("CHECKPOINT");
        }
    }
}
