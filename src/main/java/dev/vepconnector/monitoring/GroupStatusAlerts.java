package dev.vepconnector.monitoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.component.seda.SedaEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends every change of a group's status as an exchange to {@value #ENDPOINT}, which the route file
 * {@code routes/group-status.yaml} consumes (by default: a log line). Body: the group as JSON, as the API
 * shows it; headers {@code vepGroupId}, {@code vepGroup}, {@code vepStatus}, {@code vepPreviousStatus},
 * {@code vepStatusReasons}. A change is recorded in the database before it is sent, so it is sent once:
 * by the replica that records it first, and not again after a restart. Sent through a seda queue, so a
 * slow route never holds up the monitoring; with no route consuming it, changes are only logged here.
 */
@Component
class GroupStatusAlerts {

    static final String ENDPOINT = "seda:vep-group-status";
    private static final String QUEUE = "vep-group-status";
    private static final Logger log = LoggerFactory.getLogger(GroupStatusAlerts.class);

    private final GroupMonitor monitor;
    private final GroupFiguresStore store;
    private final TransactionTemplate transaction;
    private final CamelContext camel;
    private final ObjectMapper json;
    private final Clock clock;
    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    private final Map<String, GroupStatus> recorded = new ConcurrentHashMap<>();
    private ProducerTemplate producer;
    private boolean toldNoRoute;
    private boolean failing;

    GroupStatusAlerts(GroupMonitor monitor, GroupFiguresStore store, TransactionTemplate transaction, CamelContext camel,
                      ObjectMapper json, Clock clock) {
        this.monitor = monitor;
        this.store = store;
        this.transaction = transaction;
        this.camel = camel;
        this.json = json;
        this.clock = clock;
        monitor.onChange(changed::addAll);
        monitor.all().forEach(group -> changed.add(group.groupId()));
    }

    @Scheduled(fixedDelay = 500, initialDelay = 1000)
    synchronized void flush() {
        for (String id : List.copyOf(changed)) {
            changed.remove(id);
            monitor.find(id).filter(group -> group.status() != recorded.get(id)).ifPresent(group -> {
                try {
                    Change change = record(id);
                    if (change.previous() != null) {
                        send(change.group(), change.previous());
                    }
                    recorded.put(id, change.group().status());
                    failing = false;
                } catch (RuntimeException e) {
                    changed.add(id);
                    if (!failing) {
                        log.warn("Cannot record the status of group {} ({}); trying again", id, e.toString());
                        failing = true;
                    }
                }
            });
        }
    }

    /** The group as committed, and the status it had when this replica is the one to record its change (else null). */
    private record Change(GroupView group, String previous) {
    }

    /**
     * Judges the group on what is committed, under its status row's lock: a replica whose view is a
     * refresh behind cannot record an older status over a newer one.
     */
    private Change record(String groupId) {
        return transaction.execute(tx -> {
            Instant now = clock.instant();
            String previous = store.lockStatus(groupId, now);
            GroupView group = monitor.current(groupId);
            if (group.status().wireName().equals(previous)) {
                return new Change(group, null);
            }
            store.recordStatus(groupId, group.status().wireName(), String.join("; ", group.statusReasons()), now);
            return new Change(group, previous);
        });
    }

    private void send(GroupView group, String previous) {
        String name = group.name() == null ? group.groupId() : group.name();
        if (!routeConsumes()) {
            if (!toldNoRoute) {
                log.info("No route consumes {} (routes/group-status.yaml is not among the route files): group status changes are not sent on",
                        ENDPOINT);
                toldNoRoute = true;
            }
            return;
        }
        try {
            producer().sendBodyAndHeaders(ENDPOINT, json.writeValueAsString(group), Map.of(
                    "vepGroupId", group.groupId(), "vepGroup", name, "vepStatus", group.status().wireName(),
                    "vepPreviousStatus", previous, "vepStatusReasons", String.join("; ", group.statusReasons())));
        } catch (JsonProcessingException | RuntimeException e) {
            log.warn("Group {} went from {} to {}, but the change could not be handed to {}: {}", name, previous,
                    group.status().wireName(), ENDPOINT, e.toString());
        }
    }

    private boolean routeConsumes() {
        for (Route route : camel.getRoutes()) {
            if (route.getEndpoint() instanceof SedaEndpoint seda && QUEUE.equals(seda.getEndpointBaseUri().replaceFirst("^seda:(//)?", ""))) {
                return true;
            }
        }
        return false;
    }

    private ProducerTemplate producer() {
        if (producer == null) {
            producer = camel.createProducerTemplate();
        }
        return producer;
    }
}
