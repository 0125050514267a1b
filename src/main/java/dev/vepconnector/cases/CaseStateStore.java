package dev.vepconnector.cases;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The case_state table: one row of {@link CaseProgress} per case. */
@Repository
class CaseStateStore {

    private static final String COLUMNS = "case_id, event_count, closes, transcripts, last_opened_at, last_closed_at, "
            + "emitted_revision, emitted_closes, emitted_event_count, transcript_deadline";

    private final JdbcTemplate jdbc;

    CaseStateStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Locks the cases' rows for the rest of the transaction (creating those that are new) and returns
     * their progress. Replicas aggregating events of the same case take turns; rows are locked in id
     * order so that two batches cannot deadlock.
     */
    Map<String, CaseProgress> lock(List<String> sortedCaseIds, Instant now) {
        Map<String, CaseProgress> progress = selectForUpdate(sortedCaseIds);
        List<String> missing = sortedCaseIds.stream().filter(id -> !progress.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            // Only new cases are inserted: a conflicting insert is costly on the embedded database.
            jdbc.batchUpdate("""
                            INSERT INTO case_state (case_id, event_count, closes, transcripts, emitted_revision, emitted_closes,
                                                    emitted_event_count, updated_at)
                            VALUES (?, 0, 0, 0, 0, 0, 0, ?) ON CONFLICT DO NOTHING""",
                    missing, 500, (ps, id) -> {
                        ps.setString(1, id);
                        ps.setObject(2, now.atOffset(ZoneOffset.UTC));
                    });
            progress.putAll(selectForUpdate(missing));
        }
        return progress;
    }

    private Map<String, CaseProgress> selectForUpdate(List<String> sortedCaseIds) {
        Map<String, CaseProgress> progress = new HashMap<>();
        for (int from = 0; from < sortedCaseIds.size(); from += 500) {
            List<String> chunk = sortedCaseIds.subList(from, Math.min(from + 500, sortedCaseIds.size()));
            String in = String.join(",", Collections.nCopies(chunk.size(), "?"));
            jdbc.query("SELECT " + COLUMNS + " FROM case_state WHERE case_id IN (" + in + ") ORDER BY case_id FOR UPDATE",
                    rs -> {
                        progress.put(rs.getString("case_id"), map(rs));
                    }, chunk.toArray());
        }
        return progress;
    }

    void save(Map<String, CaseProgress> progress, Instant now) {
        jdbc.batchUpdate("""
                        UPDATE case_state SET event_count = ?, closes = ?, transcripts = ?, last_opened_at = ?, last_closed_at = ?,
                               emitted_revision = ?, emitted_closes = ?, emitted_event_count = ?, transcript_deadline = ?,
                               updated_at = ?, purge_due = TRUE
                        WHERE case_id = ?""",
                progress.entrySet(), 500, (ps, entry) -> {
                    CaseProgress p = entry.getValue();
                    ps.setInt(1, p.eventCount());
                    ps.setInt(2, p.closes());
                    ps.setInt(3, p.transcripts());
                    ps.setObject(4, offset(p.lastOpenedAt()));
                    ps.setObject(5, offset(p.lastClosedAt()));
                    ps.setInt(6, p.emittedRevision());
                    ps.setInt(7, p.emittedCloses());
                    ps.setInt(8, p.emittedEventCount());
                    ps.setObject(9, offset(p.transcriptDeadline()));
                    ps.setObject(10, now.atOffset(ZoneOffset.UTC));
                    ps.setString(11, entry.getKey());
                });
    }

    /** Cases whose wait for a transcript ended by {@code upTo}, earliest first. */
    List<String> transcriptWaitOver(Instant upTo, int limit) {
        return jdbc.queryForList("SELECT case_id FROM case_state WHERE transcript_deadline <= ? ORDER BY transcript_deadline LIMIT ?",
                String.class, upTo.atOffset(ZoneOffset.UTC), limit);
    }

    /** How many cases wait for a transcript or are not yet closed. */
    long open() {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM case_state WHERE emitted_event_count < event_count", Long.class);
        return count == null ? 0 : count;
    }

    private static OffsetDateTime offset(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static CaseProgress map(ResultSet rs) throws SQLException {
        return new CaseProgress(rs.getInt("event_count"), rs.getInt("closes"), rs.getInt("transcripts"),
                instant(rs, "last_opened_at"), instant(rs, "last_closed_at"), rs.getInt("emitted_revision"),
                rs.getInt("emitted_closes"), rs.getInt("emitted_event_count"), instant(rs, "transcript_deadline"));
    }

}
