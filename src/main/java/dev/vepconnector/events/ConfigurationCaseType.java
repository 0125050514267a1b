package dev.vepconnector.events;

import java.time.Instant;
import java.util.Map;

/** A classification assigned to cases. Null attributes were not part of this (partial) update. */
public record ConfigurationCaseType(Instant eventTime, String caseTypeId, String caseTypeName,
        Map<String, String> caseTypeExternalId) implements ConfigurationEvent {

    @Override
    public VepEventType type() {
        return VepEventType.CONFIGURATION_CASE_TYPE;
    }

    @Override
    public String entityId() {
        return caseTypeId;
    }

    @Override
    public String name() {
        return caseTypeName;
    }

    @Override
    public Map<String, String> externalIds() {
        return caseTypeExternalId;
    }

    @Override
    public EntityKind kind() {
        return EntityKind.CASE_TYPE;
    }
}
