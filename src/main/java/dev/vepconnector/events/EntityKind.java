package dev.vepconnector.events;

import java.util.Arrays;
import java.util.Optional;

/** The classes of configured entity (interface 7.3); {@code path} is their name in the API. */
public enum EntityKind {
    AGENT("agents"),
    GROUP("groups"),
    OPPORTUNITY("opportunities"),
    SOLUTION("solutions"),
    CASE_TYPE("case-types");

    private final String path;

    EntityKind(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }

    public static Optional<EntityKind> ofPath(String path) {
        return Arrays.stream(values()).filter(k -> k.path.equals(path)).findFirst();
    }
}
