package dev.vepconnector.events;

import java.time.Instant;

/**
 * An event VEP published. Attributes other than the entity id may be absent (content
 * deduplication, interface 6.4): absent means "unchanged", so every other field is nullable.
 */
public sealed interface VepEvent permits CaseEvent, GroupEvent, ConfigurationEvent {

    /** When VEP created the event; the receive time when VEP left it out. */
    Instant eventTime();

    VepEventType type();

    /** The id of the case, group or configured entity this event is about. */
    String entityId();
}
