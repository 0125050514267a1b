package dev.vepconnector.events;

import java.time.Instant;
import java.util.Map;

/** A measurement point on the site that creates the option to act. Null attributes were not part of this (partial) update. */
public record ConfigurationOpportunity(Instant eventTime, String opportunityId, String opportunityName,
        Map<String, String> opportunityExternalId) implements ConfigurationEvent {

    @Override
    public VepEventType type() {
        return VepEventType.CONFIGURATION_OPPORTUNITY;
    }

    @Override
    public String entityId() {
        return opportunityId;
    }

    @Override
    public String name() {
        return opportunityName;
    }

    @Override
    public Map<String, String> externalIds() {
        return opportunityExternalId;
    }

    @Override
    public EntityKind kind() {
        return EntityKind.OPPORTUNITY;
    }
}
