package dev.vepconnector.events;

import java.time.Instant;
import java.util.Map;

/** An action taken on an opportunity, often a chat offer. Null attributes were not part of this (partial) update. */
public record ConfigurationSolution(Instant eventTime, String solutionId, String solutionName,
        Map<String, String> solutionExternalId) implements ConfigurationEvent {

    @Override
    public VepEventType type() {
        return VepEventType.CONFIGURATION_SOLUTION;
    }

    @Override
    public String entityId() {
        return solutionId;
    }

    @Override
    public String name() {
        return solutionName;
    }

    @Override
    public Map<String, String> externalIds() {
        return solutionExternalId;
    }

    @Override
    public EntityKind kind() {
        return EntityKind.SOLUTION;
    }
}
