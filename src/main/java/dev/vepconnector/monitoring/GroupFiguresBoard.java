package dev.vepconnector.monitoring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every group's supervisor figures for today and the last hour, added up from the per-minute counts and
 * kept in memory between reads: read again at once after this replica added to them, and every
 * {@code vep.monitoring.refresh-interval} for what other replicas added and as the windows move on.
 */
@Component
class GroupFiguresBoard {

    private static final Logger log = LoggerFactory.getLogger(GroupFiguresBoard.class);
    /** The last hour: the current minute and the 59 before it. */
    private static final Duration LAST_HOUR = Duration.ofMinutes(59);

    /** A group's figures over both windows. */
    record Windows(GroupFigures today, GroupFigures lastHour) {
        static final Windows NONE = new Windows(GroupFigures.NONE, GroupFigures.NONE);
    }

    private final GroupFiguresStore store;
    private final MonitoringProperties properties;
    private final Clock clock;
    private final List<Consumer<List<String>>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean changed = new AtomicBoolean();
    private volatile Map<String, Windows> figures = Map.of();
    private volatile Instant readAt = Instant.MIN;
    private boolean failing;

    GroupFiguresBoard(GroupFiguresStore store, MonitoringProperties properties, Clock clock) {
        this.store = store;
        this.properties = properties;
        this.clock = clock;
        read();
    }

    /** Called with the ids of groups whose figures changed (on a scheduler thread; keep it quick). */
    void onChange(Consumer<List<String>> listener) {
        listeners.add(listener);
    }

    Windows of(String groupId) {
        return figures.getOrDefault(groupId, Windows.NONE);
    }

    Set<String> groupIds() {
        return figures.keySet();
    }

    /** This replica committed changes to the counts. */
    void changed() {
        changed.set(true);
    }

    @Scheduled(fixedDelay = 250, initialDelay = 250)
    void refreshWhenDue() {
        Instant now = clock.instant();
        if (changed.getAndSet(false) || !now.isBefore(readAt.plus(properties.refreshInterval()))) {
            try {
                read();
                if (failing) {
                    log.info("Supervisor figures are read again");
                    failing = false;
                }
            } catch (RuntimeException e) {
                if (!failing) {
                    log.warn("Cannot read the supervisor figures ({}); showing the last read until the database answers", e.toString());
                    failing = true;
                }
            }
        }
    }

    /** Counts older than anything shown are removed, in one small delete each run. */
    @Scheduled(fixedDelay = 600_000, initialDelay = 60_000)
    void purge() {
        try {
            store.purge(clock.instant().minus(GroupFiguresRecorder.KEPT));
        } catch (RuntimeException e) {
            log.debug("Supervisor figures: purge postponed: {}", e.toString());
        }
    }

    private synchronized void read() {
        Instant now = clock.instant();
        Map<String, FigureCounts> today = store.since(startOfDay(now, properties.timeZone()));
        Map<String, FigureCounts> lastHour = store.since(now.truncatedTo(ChronoUnit.MINUTES).minus(LAST_HOUR));
        Set<String> ids = new HashSet<>(today.keySet());
        ids.addAll(lastHour.keySet());
        Map<String, Windows> next = new HashMap<>();
        for (String id : ids) {
            next.put(id, new Windows(GroupFigures.of(today.getOrDefault(id, FigureCounts.NONE)),
                    GroupFigures.of(lastHour.getOrDefault(id, FigureCounts.NONE))));
        }
        Map<String, Windows> previous = figures;
        figures = Map.copyOf(next);
        readAt = now;
        Set<String> all = new HashSet<>(previous.keySet());
        all.addAll(next.keySet());
        List<String> changedIds = new ArrayList<>();
        for (String id : all) {
            if (!Objects.equals(previous.get(id), next.get(id))) {
                changedIds.add(id);
            }
        }
        if (!changedIds.isEmpty()) {
            listeners.forEach(listener -> listener.accept(changedIds));
        }
    }

    /** The group's figures as committed now, read from the database rather than from memory. */
    Windows current(String groupId) {
        Instant now = clock.instant();
        FigureCounts today = store.since(startOfDay(now, properties.timeZone()), groupId).getOrDefault(groupId, FigureCounts.NONE);
        FigureCounts lastHour = store.since(now.truncatedTo(ChronoUnit.MINUTES).minus(LAST_HOUR), groupId).getOrDefault(groupId, FigureCounts.NONE);
        return new Windows(GroupFigures.of(today), GroupFigures.of(lastHour));
    }

    String committedName(String groupId) {
        return store.committedGroupName(groupId);
    }

    static Instant startOfDay(Instant now, ZoneId zone) {
        return now.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant();
    }
}
