package dev.vepconnector.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An agent's configuration; null attributes were not part of this (partial) update. */
public record ConfigurationAgent(Instant eventTime, String agentId, String agentEmail, String agentName,
                                 String agentDisplayName, List<String> agentAssignedGroups,
                                 Map<String, String> agentExternalId) implements ConfigurationEvent {

    @Override
    public VepEventType type() {
        return VepEventType.CONFIGURATION_AGENT;
    }

    @Override
    public String entityId() {
        return agentId;
    }

    @Override
    public String name() {
        return agentName;
    }

    @Override
    public Map<String, String> externalIds() {
        return agentExternalId;
    }

    @Override
    public EntityKind kind() {
        return EntityKind.AGENT;
    }
}
