package dev.vepconnector.monitoring;

import dev.vepconnector.config.EntityDirectory;
import dev.vepconnector.config.EntityRef;
import dev.vepconnector.events.EntityKind;
import dev.vepconnector.events.GroupEvent;
import dev.vepconnector.ingest.StoredEvent;
import dev.vepconnector.ingest.VepEventHandler;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import dev.vepconnector.storage.AfterCommit;

/**
 * The live state of every group's queue, merged from group.loadChanged and group.performanceTimers in
 * the ingest transaction and kept in the database, so every replica shows every group: each replica
 * takes its own changes when they commit and the others' at the next refresh.
 */
@Component
@Order(30)
public class GroupMonitor implements VepEventHandler {

    private final GroupStateStore store;
    private final EntityDirectory directory;
    private final GroupFiguresBoard figures;
    private final GroupThresholds thresholds;
    private final long serviceLevelTargetMs;
    private final Clock clock;
    private final Map<String, GroupStateStore.Versioned> groups = new ConcurrentHashMap<>();
    private final List<Consumer<List<String>>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong seenVersion = new AtomicLong();
    private volatile long previousRefreshVersion;

    GroupMonitor(GroupStateStore store, EntityDirectory directory, GroupFiguresBoard figures, MonitoringProperties properties, Clock clock) {
        this.store = store;
        this.directory = directory;
        this.figures = figures;
        this.thresholds = properties.thresholds();
        this.serviceLevelTargetMs = properties.serviceLevelTarget().toMillis();
        this.clock = clock;
        figures.onChange(changed -> listeners.forEach(listener -> listener.accept(changed)));
        refresh();
    }

    /** Called with the ids of groups that changed (on a background thread; keep it quick). */
    void onChange(Consumer<List<String>> listener) {
        listeners.add(listener);
    }

    /** Every group seen in group events or in today's or the last hour's case events. */
    public List<GroupView> all() {
        TreeSet<String> ids = new TreeSet<>(groups.keySet());
        ids.addAll(figures.groupIds());
        return ids.stream().map(this::view).toList();
    }

    public Optional<GroupView> find(String groupId) {
        return groups.containsKey(groupId) || figures.groupIds().contains(groupId) ? Optional.of(view(groupId)) : Optional.empty();
    }

    @Override
    public void apply(List<StoredEvent> events) {
        TreeMap<String, List<GroupEvent>> byGroup = new TreeMap<>();
        for (StoredEvent stored : events) {
            if (stored.event() instanceof GroupEvent event) {
                byGroup.computeIfAbsent(event.entityId(), id -> new ArrayList<>()).add(event);
            }
        }
        if (byGroup.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Map<String, GroupState> locked = store.lock(new ArrayList<>(byGroup.keySet()), now);
        List<GroupState> merged = new ArrayList<>();
        byGroup.forEach((groupId, arrived) -> {
            GroupState state = locked.getOrDefault(groupId, GroupState.empty(groupId));
            for (GroupEvent event : arrived) {
                state = state.merge(event, now);
            }
            merged.add(state);
        });
        List<GroupStateStore.Versioned> saved = store.save(merged);
        AfterCommit.run(() -> publish(saved));
    }

    /** Picks up what other replicas stored; reads from two refreshes back, so a late commit is not missed. */
    @Scheduled(fixedDelayString = "${vep.monitoring.refresh-interval:2s}", initialDelayString = "${vep.monitoring.refresh-interval:2s}")
    public void refresh() {
        long from = previousRefreshVersion;
        previousRefreshVersion = seenVersion.get();
        publish(store.changedSince(from));
    }

    private void publish(List<GroupStateStore.Versioned> rows) {
        List<String> changed = new ArrayList<>();
        for (GroupStateStore.Versioned row : rows) {
            seenVersion.accumulateAndGet(row.version(), Math::max);
            GroupStateStore.Versioned known = groups.get(row.state().groupId());
            if (known == null || known.version() < row.version()) {
                groups.put(row.state().groupId(), row);
                changed.add(row.state().groupId());
            }
        }
        if (!changed.isEmpty()) {
            listeners.forEach(listener -> listener.accept(changed));
        }
    }

    /** The group as committed in the database now (not as last refreshed), for decisions replicas must agree on. */
    GroupView current(String groupId) {
        return view(groupId, store.find(groupId).orElse(GroupState.empty(groupId)), figures.current(groupId),
                figures.committedName(groupId));
    }

    private GroupView view(String groupId) {
        GroupStateStore.Versioned known = groups.get(groupId);
        return view(groupId, known == null ? GroupState.empty(groupId) : known.state(), figures.of(groupId), null);
    }

    /** The view; {@code committedName} (when known) over the configuration cache's name, which thresholds go by. */
    private GroupView view(String groupId, GroupState s, GroupFiguresBoard.Windows windows, String committedName) {
        EntityRef cached = directory.ref(EntityKind.GROUP, groupId);
        EntityRef ref = committedName == null ? cached : new EntityRef(groupId, committedName, cached.externalIds());
        GroupStatus.Judgement judgement = GroupStatus.judge(thresholds.of(groupId, ref.name()), s.visitorsInQueue().value(),
                s.longestWaitingTime().value(), windows.today().serviceLevel());
        return new GroupView(groupId, ref.name(), ref.externalIds(), s.availableAgents().value(), s.visitorsInQueue().value(),
                s.visitorsInConversation().value(), s.averageWaitingTime().value(), s.longestWaitingTime().value(),
                s.longestWaitingTime().at(), s.updatedAt(), s.events(), judgement.status(), judgement.reasons(), windows.today(),
                windows.lastHour(), serviceLevelTargetMs);
    }
}
