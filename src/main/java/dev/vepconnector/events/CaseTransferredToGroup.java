package dev.vepconnector.events;

import java.time.Instant;

/** The case left its agent for another group's queue. */
public record CaseTransferredToGroup(Instant eventTime, String caseId, String previousAgentId, String previousGroupId, String newGroupId) implements CaseEvent {

    @Override
    public VepEventType type() {
        return VepEventType.CASE_TRANSFERRED_TO_GROUP;
    }
}
