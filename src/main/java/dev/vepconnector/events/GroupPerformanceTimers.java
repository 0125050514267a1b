package dev.vepconnector.events;

import java.time.Instant;

/** Waiting times of a group's queue in milliseconds, as VEP sends them; null means unchanged. */
public record GroupPerformanceTimers(Instant eventTime, String groupId, Long averageWaitingTime,
                                     Long longestWaitingTime) implements GroupEvent {

    @Override
    public VepEventType type() {
        return VepEventType.GROUP_PERFORMANCE_TIMERS;
    }
}
