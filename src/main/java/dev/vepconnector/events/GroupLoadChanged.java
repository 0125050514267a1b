package dev.vepconnector.events;

import java.time.Instant;

/** Agents and visitors of a group's queue changed; null counts did not change (6.4). */
public record GroupLoadChanged(Instant eventTime, String groupId, Integer numberOfAvailableAgents,
                               Integer numberOfVisitorsInQueue, Integer numberOfVisitorsInConversation) implements GroupEvent {

    @Override
    public VepEventType type() {
        return VepEventType.GROUP_LOAD_CHANGED;
    }
}
