package dev.vepconnector.monitoring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The operator contract's group gauges, tagged {@code group_id} and {@code group} (the configured name,
 * once known; until then the id). Rows are rebuilt every second, so new groups and renamed ones show up.
 */
@Component
class GroupMetrics {

    private final GroupMonitor monitor;
    private final List<Gauge> gauges;

    private record Gauge(MultiGauge multi, ToDoubleFunction<GroupView> value) {
    }

    GroupMetrics(GroupMonitor monitor, MeterRegistry registry) {
        this.monitor = monitor;
        this.gauges = List.of(
                gauge(registry, "vep.group.available.agents", null, "Agents available in the group", v -> value(v.numberOfAvailableAgents())),
                gauge(registry, "vep.group.visitors.in.queue", null, "Visitors waiting in the group's queue", v -> value(v.numberOfVisitorsInQueue())),
                gauge(registry, "vep.group.visitors.in.conversation", null, "Visitors in conversation with the group's agents",
                        v -> value(v.numberOfVisitorsInConversation())),
                gauge(registry, "vep.group.average.waiting.time", "seconds", "Average waiting time in the queue",
                        v -> seconds(v.averageWaitingTime())),
                gauge(registry, "vep.group.longest.waiting.time", "seconds", "Longest waiting time in the queue now",
                        v -> seconds(v.longestWaitingTime())));
        update();
    }

    @Scheduled(fixedDelay = 1000, initialDelay = 1000)
    void update() {
        List<GroupView> groups = monitor.all();
        for (Gauge gauge : gauges) {
            gauge.multi().register(groups.stream().filter(g -> !Double.isNaN(gauge.value().applyAsDouble(g)))
                    .map(g -> MultiGauge.Row.of(Tags.of("group_id", g.groupId(), "group", g.name() == null ? g.groupId() : g.name()),
                            gauge.value().applyAsDouble(g)))
                    .toList(), true);
        }
    }

    private static Gauge gauge(MeterRegistry registry, String name, String unit, String description, ToDoubleFunction<GroupView> value) {
        MultiGauge.Builder builder = MultiGauge.builder(name).description(description);
        if (unit != null) {
            builder.baseUnit(unit);
        }
        return new Gauge(builder.register(registry), value);
    }

    private static double value(Long v) {
        return v == null ? Double.NaN : v;
    }

    private static double seconds(Long millis) {
        return millis == null ? Double.NaN : millis / 1000.0;
    }
}
