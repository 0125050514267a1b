package dev.vepconnector.monitoring;

import dev.vepconnector.events.CaseEvent;
import dev.vepconnector.ingest.StoredEvent;
import dev.vepconnector.ingest.VepEventHandler;
import dev.vepconnector.storage.AfterCommit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Keeps the supervisor figures from the case events, in the ingest transaction: each case's steps, and
 * what the case changes in its groups' per-minute counts ({@link CaseFigures}). So the figures are exact
 * across restarts, and replicas sharing the database add up to the same figures whichever of them took
 * which event.
 */
@Component
@Order(40)
class GroupFiguresRecorder implements VepEventHandler {

    /** Counts of minutes older than this are purged ({@link GroupFiguresBoard}); a late event does not add to them. */
    static final Duration KEPT = Duration.ofDays(2);

    private final GroupFiguresStore store;
    private final GroupFiguresBoard board;
    private final MonitoringProperties properties;
    private final Clock clock;

    GroupFiguresRecorder(GroupFiguresStore store, GroupFiguresBoard board, MonitoringProperties properties, Clock clock) {
        this.store = store;
        this.board = board;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void apply(List<StoredEvent> events) {
        TreeMap<String, List<CaseEvent>> byCase = new TreeMap<>();
        for (StoredEvent stored : events) {
            if (stored.event() instanceof CaseEvent event && CaseStep.of(event, 0).isPresent()) {
                byCase.computeIfAbsent(event.caseId(), id -> new ArrayList<>()).add(event);
            }
        }
        if (byCase.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Map<String, List<CaseStep>> locked = store.lockCases(new ArrayList<>(byCase.keySet()), now);
        Map<String, List<CaseStep>> next = new HashMap<>();
        Map<CaseFigures.Key, FigureCounts> changes = new HashMap<>();
        byCase.forEach((caseId, arrived) -> {
            List<CaseStep> before = locked.getOrDefault(caseId, List.of());
            List<CaseStep> after = withArrived(before, arrived);
            next.put(caseId, after);
            Duration target = properties.serviceLevelTarget();
            CaseFigures.difference(CaseFigures.of(before, target), CaseFigures.of(after, target))
                    .forEach((key, change) -> changes.merge(key, change, FigureCounts::plus));
        });
        store.saveCases(next, now);
        Instant oldestKept = now.minus(KEPT);
        store.add(changes.entrySet().stream().filter(e -> !e.getKey().minute().isBefore(oldestKept) && !e.getValue().isZero())
                .sorted(Map.Entry.comparingByKey()).toList());
        AfterCommit.run(board::changed);
    }

    private static List<CaseStep> withArrived(List<CaseStep> before, List<CaseEvent> arrived) {
        List<CaseStep> after = new ArrayList<>(before);
        long seq = before.stream().mapToLong(CaseStep::seq).max().orElse(0);
        for (CaseEvent event : arrived) {
            CaseStep.of(event, ++seq).ifPresent(after::add);
        }
        return after;
    }
}
