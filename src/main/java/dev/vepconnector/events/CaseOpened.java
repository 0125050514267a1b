package dev.vepconnector.events;

import java.time.Instant;

/** An agent of a group was assigned the case. */
public record CaseOpened(Instant eventTime, String caseId, String agentId, String groupId) implements CaseEvent {

    @Override
    public VepEventType type() {
        return VepEventType.CASE_OPENED;
    }
}
