package dev.vepconnector.events;

/** Live state of one group's queue. */
public sealed interface GroupEvent extends VepEvent permits GroupLoadChanged, GroupPerformanceTimers {

    String groupId();

    @Override
    default String entityId() {
        return groupId();
    }
}
