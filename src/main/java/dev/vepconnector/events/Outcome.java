package dev.vepconnector.events;

import com.fasterxml.jackson.annotation.JsonValue;

/** How an agent closed a case (interface 7.1.3). Only {@code UNRESOLVED} cases can be opened again. */
public enum Outcome {
    POSITIVE, NEGATIVE, NEUTRAL, UNRESOLVED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
