package dev.vepconnector.events;

import java.time.Instant;

/** A visitor started a case from an opportunity and solution; a case type was assigned. */
public record CaseCreated(Instant eventTime, String caseId, String opportunityId, String solutionId, String caseTypeId) implements CaseEvent {

    @Override
    public VepEventType type() {
        return VepEventType.CASE_CREATED;
    }
}
