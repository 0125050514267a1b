package dev.vepconnector.monitoring;

import dev.vepconnector.events.GroupEvent;
import dev.vepconnector.events.GroupLoadChanged;
import dev.vepconnector.events.GroupPerformanceTimers;
import java.time.Instant;

/**
 * What is known of a group's queue: each figure with the eventTime it was reported at. A partial event
 * (6.4) leaves the figures it omits as they were; an event older than a figure does not replace it.
 *
 * @param events every group event received for the group (6.5: counted even when reported at a lower rate)
 */
record GroupState(String groupId, Measure availableAgents, Measure visitorsInQueue, Measure visitorsInConversation,
                  Measure averageWaitingTime, Measure longestWaitingTime, long events, Instant updatedAt) {

    static GroupState empty(String groupId) {
        return new GroupState(groupId, Measure.NONE, Measure.NONE, Measure.NONE, Measure.NONE, Measure.NONE, 0, null);
    }

    /** A figure and when VEP reported it. */
    record Measure(Long value, Instant at) {

        static final Measure NONE = new Measure(null, null);

        Measure merge(Number update, Instant when) {
            if (update == null || (at != null && when.isBefore(at))) {
                return this;
            }
            return new Measure(update.longValue(), when);
        }
    }

    GroupState merge(GroupEvent event, Instant now) {
        Instant t = event.eventTime();
        if (event instanceof GroupLoadChanged load) {
            return new GroupState(groupId, availableAgents.merge(load.numberOfAvailableAgents(), t),
                    visitorsInQueue.merge(load.numberOfVisitorsInQueue(), t),
                    visitorsInConversation.merge(load.numberOfVisitorsInConversation(), t),
                    averageWaitingTime, longestWaitingTime, events + 1, now);
        }
        GroupPerformanceTimers timers = (GroupPerformanceTimers) event;
        return new GroupState(groupId, availableAgents, visitorsInQueue, visitorsInConversation,
                averageWaitingTime.merge(timers.averageWaitingTime(), t), longestWaitingTime.merge(timers.longestWaitingTime(), t),
                events + 1, now);
    }
}
