package dev.vepconnector.monitoring;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The operator contract's group metrics, tagged {@code group_id} and {@code group} (the configured name,
 * once known; until then the id). Rows are rebuilt every second, so new groups and renamed ones show up.
 * Service level, speed of answer and handle time carry {@code window} ({@code today}, {@code 1h});
 * answered and handled are counters of today (they start again from 0 at midnight, which Prometheus's
 * {@code increase()} takes as a counter reset).
 */
@Component
class GroupMetrics {

    private final GroupMonitor monitor;
    private final MeterRegistry registry;
    private final List<Gauge> gauges;
    private final Map<String, Long> answeredToday = new ConcurrentHashMap<>();
    private final Map<String, Long> handledToday = new ConcurrentHashMap<>();
    private final Map<Tags, List<Meter>> counters = new HashMap<>();

    private record Gauge(MultiGauge multi, ToDoubleFunction<GroupView> value, String window) {
    }

    GroupMetrics(GroupMonitor monitor, MeterRegistry registry) {
        this.monitor = monitor;
        this.registry = registry;
        List<Gauge> all = new ArrayList<>(List.of(
                gauge(registry, "vep.group.available.agents", null, "Agents available in the group", v -> value(v.numberOfAvailableAgents())),
                gauge(registry, "vep.group.visitors.in.queue", null, "Visitors waiting in the group's queue", v -> value(v.numberOfVisitorsInQueue())),
                gauge(registry, "vep.group.visitors.in.conversation", null, "Visitors in conversation with the group's agents",
                        v -> value(v.numberOfVisitorsInConversation())),
                gauge(registry, "vep.group.average.waiting.time", "seconds", "Average waiting time in the queue",
                        v -> seconds(v.averageWaitingTime())),
                gauge(registry, "vep.group.longest.waiting.time", "seconds", "Longest waiting time in the queue now",
                        v -> seconds(v.longestWaitingTime())),
                gauge(registry, "vep.group.status", null, "The group's status from its thresholds: 0 ok, 1 warning, 2 alert",
                        v -> v.status().level())));
        MultiGauge serviceLevel = builder("vep.group.service.level", "ratio",
                "Cases answered within the service-level target, of those answered (today, or the last hour)").register(registry);
        MultiGauge speed = builder("vep.group.speed.of.answer", "seconds",
                "Average time from entering the group's queue to being answered (today, or the last hour)").register(registry);
        MultiGauge handle = builder("vep.group.handle.time", "seconds",
                "Average time of the group's assignments that ended, opened to closed or transferred (today, or the last hour)").register(registry);
        windows(all, serviceLevel, f -> value(f.serviceLevel()));
        windows(all, speed, f -> seconds(f.averageSpeedOfAnswer()));
        windows(all, handle, f -> seconds(f.averageHandleTime()));
        this.gauges = List.copyOf(all);
        update();
    }

    private static void windows(List<Gauge> gauges, MultiGauge multi, Function<GroupFigures, Double> value) {
        gauges.add(new Gauge(multi, v -> value.apply(v.today()), "today"));
        gauges.add(new Gauge(multi, v -> value.apply(v.lastHour()), "1h"));
    }

    @Scheduled(fixedDelay = 1000, initialDelay = 1000)
    void update() {
        List<GroupView> groups = monitor.all();
        Map<MultiGauge, List<MultiGauge.Row<?>>> rows = new HashMap<>();
        for (Gauge gauge : gauges) {
            List<MultiGauge.Row<?>> of = rows.computeIfAbsent(gauge.multi(), m -> new ArrayList<>());
            for (GroupView group : groups) {
                double value = gauge.value().applyAsDouble(group);
                if (!Double.isNaN(value)) {
                    Tags tags = tags(group);
                    of.add(MultiGauge.Row.of(gauge.window() == null ? tags : tags.and("window", gauge.window()), value));
                }
            }
        }
        rows.forEach((multi, of) -> multi.register(of, true));
        updateCounters(groups);
    }

    /** Today's answered and handled, one counter pair per group and name; a renamed group's old pair goes. */
    private synchronized void updateCounters(List<GroupView> groups) {
        for (GroupView group : groups) {
            answeredToday.put(group.groupId(), group.today().answered());
            handledToday.put(group.groupId(), group.today().handled());
        }
        Set<Tags> current = groups.stream().map(GroupMetrics::tags).collect(Collectors.toSet());
        counters.entrySet().removeIf(entry -> {
            if (current.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().forEach(registry::remove);
            return true;
        });
        for (GroupView group : groups) {
            String id = group.groupId();
            counters.computeIfAbsent(tags(group), tags -> List.of(
                    FunctionCounter.builder("vep.group.answered", answeredToday, m -> m.getOrDefault(id, 0L))
                            .description("Cases answered today (opened from the group's queue)").tags(tags).register(registry),
                    FunctionCounter.builder("vep.group.handled", handledToday, m -> m.getOrDefault(id, 0L))
                            .description("Cases closed today by an agent of the group").tags(tags).register(registry)));
        }
    }

    private static Tags tags(GroupView g) {
        return Tags.of("group_id", g.groupId(), "group", g.name() == null ? g.groupId() : g.name());
    }

    private static MultiGauge.Builder builder(String name, String unit, String description) {
        MultiGauge.Builder builder = MultiGauge.builder(name).description(description);
        if (unit != null) {
            builder.baseUnit(unit);
        }
        return builder;
    }

    private static Gauge gauge(MeterRegistry registry, String name, String unit, String description, ToDoubleFunction<GroupView> value) {
        return new Gauge(builder(name, unit, description).register(registry), value, null);
    }

    private static double value(Number v) {
        return v == null ? Double.NaN : v.doubleValue();
    }

    private static double seconds(Long millis) {
        return millis == null ? Double.NaN : millis / 1000.0;
    }
}
