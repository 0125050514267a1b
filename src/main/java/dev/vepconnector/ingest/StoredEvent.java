package dev.vepconnector.ingest;

import dev.vepconnector.events.VepEvent;
import java.time.Instant;

/** An event stored for the first time (not a duplicate), handed to the {@link VepEventHandler}s. */
public record StoredEvent(VepEvent event, Instant receivedAt) {
}
