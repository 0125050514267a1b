package dev.vepconnector.events;

import java.time.Instant;
import java.util.Map;

/** A competence group, which also defines a queue. Null attributes were not part of this (partial) update. */
public record ConfigurationGroup(Instant eventTime, String groupId, String groupName,
        Map<String, String> groupExternalId) implements ConfigurationEvent {

    @Override
    public VepEventType type() {
        return VepEventType.CONFIGURATION_GROUP;
    }

    @Override
    public String entityId() {
        return groupId;
    }

    @Override
    public String name() {
        return groupName;
    }

    @Override
    public Map<String, String> externalIds() {
        return groupExternalId;
    }

    @Override
    public EntityKind kind() {
        return EntityKind.GROUP;
    }
}
