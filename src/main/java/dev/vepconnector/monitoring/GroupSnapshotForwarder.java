package dev.vepconnector.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Forwards group snapshots to a webhook at most once per {@code vep.monitoring.forward.interval}, and
 * only when something changed. Each group carries {@code eventsSinceLastSnapshot}: every event is
 * counted even though it is reported at a lower rate (interface 6.5). A snapshot that cannot be
 * delivered is not retried (the next one carries the current state); its counts carry over.
 */
@Component
@ConditionalOnProperty(prefix = "vep.monitoring.forward", name = "enabled", havingValue = "true")
class GroupSnapshotForwarder {

    private static final Logger log = LoggerFactory.getLogger(GroupSnapshotForwarder.class);

    private final GroupMonitor monitor;
    private final MonitoringProperties.Forward properties;
    private final ObjectMapper json;
    private final Clock clock;
    private final TaskScheduler scheduler;
    private final HttpClient http;
    private final Map<String, Long> eventsAtLastSnapshot = new HashMap<>();
    private boolean failing;

    GroupSnapshotForwarder(GroupMonitor monitor, MonitoringProperties properties, ObjectMapper json, Clock clock, TaskScheduler scheduler) {
        if (properties.forward().url() == null) {
            throw new IllegalStateException("vep.monitoring.forward.url is required when vep.monitoring.forward.enabled is true");
        }
        this.monitor = monitor;
        this.properties = properties.forward();
        this.json = json;
        this.clock = clock;
        this.scheduler = scheduler;
        this.http = HttpClient.newBuilder().connectTimeout(this.properties.timeout()).build();
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        scheduler.scheduleWithFixedDelay(this::forward, properties.interval());
        log.info("Forwarding group snapshots to {} at most every {}", properties.url().getHost(), properties.interval());
    }

    synchronized void forward() {
        List<GroupView> groups = monitor.all();
        ObjectNode snapshot = json.createObjectNode();
        snapshot.put("sentAt", clock.instant().toString());
        ArrayNode entries = snapshot.putArray("groups");
        Map<String, Long> counts = new HashMap<>();
        boolean changed = false;
        for (GroupView group : groups) {
            long since = group.events() - eventsAtLastSnapshot.getOrDefault(group.groupId(), 0L);
            changed |= since > 0;
            counts.put(group.groupId(), group.events());
            ObjectNode entry = json.valueToTree(group);
            entry.put("eventsSinceLastSnapshot", since);
            entries.add(entry);
        }
        if (!changed) {
            return;
        }
        if (post(snapshot)) {
            eventsAtLastSnapshot.putAll(counts);
        }
    }

    private boolean post(ObjectNode snapshot) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(properties.url()).timeout(properties.timeout())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(snapshot)));
            properties.headers().forEach(request::header);
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                throw new java.io.IOException("HTTP " + response.statusCode());
            }
            if (failing) {
                log.info("Group snapshots reach {} again", properties.url().getHost());
                failing = false;
            }
            return true;
        } catch (java.io.IOException e) {
            noteFailure(e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void noteFailure(String reason) {
        if (!failing) {
            log.warn("Cannot forward group snapshots to {}: {} (counts carry over to the next snapshot)", properties.url().getHost(), reason);
            failing = true;
        }
    }
}
