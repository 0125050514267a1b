package dev.vepconnector.cases;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.vepconnector.events.CaseEvent;
import dev.vepconnector.events.CaseTranscriptClosed;
import dev.vepconnector.storage.AfterCommit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The parsed events of recently active cases, so that emitting a record need not read and parse the
 * case's history back from the event log. An entry is trusted only when it holds exactly as many
 * events as the case's stored progress counts; anything else (a restart, an eviction, another
 * replica's events) sends the emitter to the event log. Entries change only once their transaction
 * has committed, so a rolled-back batch leaves none behind. Bounded by events held (a transcript's
 * every JSON value counted too): open cases live in the database, this is only a shortcut.
 */
@Component
class CaseEventCache {

    /** Same order as the event log gives: event time, then arrival. */
    static final Comparator<CaseEvent> EVENT_ORDER = Comparator.comparing(CaseEvent::eventTime);

    private final Cache<String, List<CaseEvent>> events;
    private final boolean enabled;

    CaseEventCache(CaseProperties properties) {
        this.enabled = properties.eventCacheSize() > 0;
        this.events = Caffeine.newBuilder()
                .maximumWeight(Math.max(1, properties.eventCacheSize()))
                .weigher((String caseId, List<CaseEvent> list) -> Math.max(1, weight(list)))
                .build();
    }

    /**
     * What a case's events count against the size: one each, and a transcript one more per value in its
     * JSON. A transcript stays a parsed tree (tens of kilobytes, where a plain event takes a couple of
     * hundred bytes): counted as one event, a full cache held 300 MB of them at 1,000 events/s and the
     * 512 MB heap spent seconds in full collections.
     */
    static int weight(List<CaseEvent> events) {
        int weight = 0;
        for (CaseEvent event : events) {
            weight += event instanceof CaseTranscriptClosed closed ? 1 + closed.transcript().valueCount() : 1;
        }
        return weight;
    }

    /** The case's events in order, if every one of the {@code storedCount} events stored for it is known here; else null. */
    List<CaseEvent> complete(String caseId, int storedCount) {
        if (!enabled) {
            return null;
        }
        if (storedCount == 0) {
            return List.of();
        }
        List<CaseEvent> known = events.getIfPresent(caseId);
        return known != null && known.size() == storedCount ? known : null;
    }

    /** The known events plus those that just arrived, in order. */
    static List<CaseEvent> plus(List<CaseEvent> known, List<CaseEvent> arrived) {
        List<CaseEvent> all = new ArrayList<>(known.size() + arrived.size());
        all.addAll(known);
        all.addAll(arrived);
        all.sort(EVENT_ORDER);
        return List.copyOf(all);
    }

    /** Remembers the case's events once the current transaction commits. */
    void rememberAfterCommit(String caseId, List<CaseEvent> all) {
        if (enabled) {
            AfterCommit.run(() -> events.put(caseId, all));
        }
    }

    long size() {
        return events.estimatedSize();
    }

    /** Applies pending evictions now (they otherwise happen during later use). */
    void cleanUp() {
        events.cleanUp();
    }
}
