package dev.vepconnector.monitoring;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * A group as the API, the live feed and the dashboard show it (operator contract: waits in ms, as VEP
 * sends them). {@code events} counts every group event received for it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GroupView(String groupId, String name, Map<String, String> externalIds, Long numberOfAvailableAgents,
                        Long numberOfVisitorsInQueue, Long numberOfVisitorsInConversation, Long averageWaitingTime,
                        Long longestWaitingTime, Instant updatedAt, long events) {
}
