package dev.vepconnector.events;

import com.fasterxml.jackson.annotation.JsonValue;

/** How an agent closed a case (interface 7.1.3). Only {@code UNRESOLVED} cases can be opened again. */
public enum Outcome {
    POSITIVE, NEGATIVE, NEUTRAL, UNRESOLVED;

    /** The outcome a record or event names; null for a name this version does not know. */
    public static Outcome fromWireName(String name) {
        for (Outcome outcome : values()) {
            if (outcome.wireName().equals(name)) {
                return outcome;
            }
        }
        return null;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
