package dev.vepconnector.monitoring;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A group as the API, the live feed and the dashboard show it (operator contract: waits in ms, as VEP
 * sends them). {@code longestWaitingTimeAt} is the eventTime VEP reported the longest wait at, so a page can count it
 * up exactly; {@code serviceLevelTarget} (ms) is what "answered within target" means. {@code events} counts every
 * group event received for it. {@code status} and
 * {@code statusReasons} come from the thresholds; {@code today} and {@code lastHour} are the
 * supervisor figures from the case events (a group seen only in case events has no VEP figures yet).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GroupView(String groupId, String name, Map<String, String> externalIds, Long numberOfAvailableAgents,
                        Long numberOfVisitorsInQueue, Long numberOfVisitorsInConversation, Long averageWaitingTime,
                        Long longestWaitingTime, Instant longestWaitingTimeAt, Instant updatedAt, long events, GroupStatus status, List<String> statusReasons,
                        GroupFigures today, GroupFigures lastHour, long serviceLevelTarget) {
}
