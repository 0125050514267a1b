package dev.vepconnector.ingest;

import java.util.List;

/**
 * A feature that keeps state from VEP events (configuration caches, case aggregation, monitoring).
 * {@link #apply} runs inside the ingest transaction, before the messages are acknowledged: what it
 * writes through the connector's DataSource commits or rolls back with the events themselves. It
 * must not wait on anything outside the database (sinks, HTTP): ingestion may never block on them.
 * Work to do once the data is committed goes in a transaction synchronization.
 */
public interface VepEventHandler {

    /** Events new to the connector, in the order they were received; duplicates are already gone. */
    void apply(List<StoredEvent> events);
}
