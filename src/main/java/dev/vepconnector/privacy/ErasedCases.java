package dev.vepconnector.privacy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The ids of erased cases (no personal data), so that their events still on the way (on the broker,
 * in the inbox, or sent again by VEP) are not stored after the erasure. Costs nothing while no case was
 * ever erased: whether one was is looked up at most every {@link #RECHECK} (replicas learn of each
 * other's first erasure within that), and once one was, a batch's case ids are looked up in one query.
 */
@Repository
public class ErasedCases {

    static final Duration RECHECK = Duration.ofSeconds(5);

    private final JdbcTemplate jdbc;
    private final Counter dropped;
    private volatile boolean anyErased;
    private volatile long checkedAt = System.nanoTime() - RECHECK.toNanos() - 1;

    ErasedCases(JdbcTemplate jdbc, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.dropped = Counter.builder("vep.privacy.erased.events.dropped")
                .description("Events of erased cases that arrived after the erasure and were not stored").register(registry);
    }

    /** Those of the case ids that were erased. */
    public Set<String> among(Collection<String> caseIds) {
        if (caseIds.isEmpty() || !anyErased()) {
            return Set.of();
        }
        List<String> ids = List.copyOf(new HashSet<>(caseIds));
        String in = String.join(",", Collections.nCopies(ids.size(), "?"));
        return new HashSet<>(jdbc.queryForList("SELECT case_id FROM erased_case WHERE case_id IN (" + in + ")", String.class, ids.toArray()));
    }

    /** Counts events not stored because their case was erased. */
    public void dropped(int events) {
        dropped.increment(events);
    }

    void add(String caseId, Instant at) {
        jdbc.update("INSERT INTO erased_case (case_id, erased_at) VALUES (?, ?) ON CONFLICT DO NOTHING", caseId, at.atOffset(ZoneOffset.UTC));
        anyErased = true;
    }

    private boolean anyErased() {
        if (!anyErased && System.nanoTime() - checkedAt > RECHECK.toNanos()) {
            anyErased = !jdbc.queryForList("SELECT case_id FROM erased_case LIMIT 1", String.class).isEmpty();
            checkedAt = System.nanoTime();
        }
        return anyErased;
    }
}
