package dev.vepconnector.monitoring;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** A short history of each group's figures for the dashboard's charts; in memory, per replica. */
@Component
class GroupHistory {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Sample(Instant at, Long numberOfAvailableAgents, Long numberOfVisitorsInQueue, Long numberOfVisitorsInConversation,
                  Long averageWaitingTime, Long longestWaitingTime) {
    }

    private final GroupMonitor monitor;
    private final MonitoringProperties properties;
    private final Clock clock;
    private final Map<String, Deque<Sample>> samples = new ConcurrentHashMap<>();

    GroupHistory(GroupMonitor monitor, MonitoringProperties properties, Clock clock) {
        this.monitor = monitor;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedRateString = "${vep.monitoring.history-interval:10s}", initialDelay = 0)
    void sample() {
        Instant now = clock.instant();
        for (GroupView group : monitor.all()) {
            Deque<Sample> deque = samples.computeIfAbsent(group.groupId(), id -> new ArrayDeque<>());
            synchronized (deque) {
                deque.addLast(new Sample(now, group.numberOfAvailableAgents(), group.numberOfVisitorsInQueue(),
                        group.numberOfVisitorsInConversation(), group.averageWaitingTime(), group.longestWaitingTime()));
                while (deque.size() > properties.historySize()) {
                    deque.removeFirst();
                }
            }
        }
    }

    List<Sample> of(String groupId) {
        Deque<Sample> deque = samples.get(groupId);
        if (deque == null) {
            return List.of();
        }
        synchronized (deque) {
            return List.copyOf(deque);
        }
    }
}
