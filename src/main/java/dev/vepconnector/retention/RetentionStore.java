package dev.vepconnector.retention;

import dev.vepconnector.events.VepEventType;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The purge's queries: what is due, by the rules of {@link RetentionProperties}, and its removal. Each
 * method is one small step of a transaction the caller holds.
 */
@Repository
class RetentionStore {

    private static final List<String> CASE_ROUTING_KEYS = VepEventType.caseRoutingKeys();
    /** Group and configuration events: folded into their state as they are processed. */
    static final List<String> STATE_ROUTING_KEYS = Arrays.stream(VepEventType.values())
            .filter(type -> !type.isCaseEvent()).map(VepEventType::routingKey).toList();

    /**
     * A case whose events may go: every event it has is in its latest record, and no delivery of it is
     * pending or finished after the cutoff. (A case without deliveries, no sink being enabled, counts from
     * its last change.)
     */
    private static final String CASE_EVENTS_DUE = """
            s.purge_due = TRUE AND s.updated_at < ? AND s.emitted_revision > 0 AND s.emitted_event_count = s.event_count
            AND NOT EXISTS (SELECT 1 FROM sink_delivery d WHERE d.case_id = s.case_id AND d.erasure = FALSE
                            AND (d.state = 'PENDING' OR d.finished_at >= ?))""";

    /**
     * A revision that may go: every sink delivered it before the cutoff or dead-lettered it before the
     * dead letters' cutoff, and it is not the revision a reopened case whose events were purged will
     * build its next revision on.
     */
    private static final String RECORD_DUE = """
            r.emitted_at < ?
            AND NOT EXISTS (SELECT 1 FROM sink_delivery d WHERE d.case_id = r.case_id AND d.revision = r.revision AND d.erasure = FALSE
                            AND (d.state = 'PENDING' OR (d.state = 'DELIVERED' AND d.finished_at >= ?)
                                 OR (d.state = 'DEAD' AND d.finished_at >= ?)))
            AND NOT EXISTS (SELECT 1 FROM case_state s WHERE s.case_id = r.case_id AND s.emitted_revision = r.revision
                            AND s.events_purged_at IS NOT NULL AND s.event_count > s.emitted_event_count)""";

    /** What a row's other columns and its index entries take, besides its text: roughly, on the embedded database. */
    private static final int ROW_OVERHEAD = 200;

    private final JdbcTemplate jdbc;

    RetentionStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Takes PostgreSQL's transaction-scoped lock for this purge, so that one replica at a time does it. */
    boolean tryLockShared(long key) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(?)", Boolean.class, key));
    }

    /** Cases whose events are due, oldest first. */
    List<String> casesWithEventsDue(Instant cutoff, int limit) {
        return jdbc.queryForList("SELECT s.case_id FROM case_state s WHERE " + CASE_EVENTS_DUE + " ORDER BY s.updated_at LIMIT ?",
                String.class, at(cutoff), at(cutoff), limit);
    }

    /**
     * Locks the cases' progress, as aggregation and erasure do (in case id order), and returns those whose
     * events are still due: an event that arrived in the meantime keeps them.
     */
    List<String> lockCasesWithEventsDue(List<String> caseIds, Instant cutoff) {
        List<String> sorted = caseIds.stream().sorted().toList();
        String in = placeholders(sorted.size());
        jdbc.queryForList("SELECT case_id FROM case_state WHERE case_id IN (" + in + ") ORDER BY case_id FOR UPDATE",
                String.class, sorted.toArray());
        List<Object> args = new ArrayList<>(List.of(at(cutoff), at(cutoff)));
        args.addAll(sorted);
        return jdbc.queryForList("SELECT s.case_id FROM case_state s WHERE " + CASE_EVENTS_DUE + " AND s.case_id IN (" + in + ")",
                String.class, args.toArray());
    }

    /** Removes the cases' events and notes that their next revision starts from their latest record. */
    int purgeCaseEvents(List<String> caseIds, Instant now) {
        List<Object> args = new ArrayList<>(caseIds);
        args.addAll(CASE_ROUTING_KEYS);
        int removed = jdbc.update("DELETE FROM event_log WHERE entity_id IN (" + placeholders(caseIds.size()) + ") AND routing_key IN ("
                + placeholders(CASE_ROUTING_KEYS.size()) + ")", args.toArray());
        List<Object> update = new ArrayList<>();
        update.add(at(now));
        update.addAll(caseIds);
        jdbc.update("UPDATE case_state SET purge_due = FALSE, events_purged_at = ? WHERE case_id IN (" + placeholders(caseIds.size()) + ")",
                update.toArray());
        return removed;
    }

    /** Ids of group or configuration events of this type received before the cutoff, oldest first. */
    List<Long> stateEventsDue(String routingKey, Instant cutoff, int limit) {
        return jdbc.queryForList("SELECT id FROM event_log WHERE routing_key = ? AND received_at < ? ORDER BY received_at LIMIT ?",
                Long.class, routingKey, at(cutoff), limit);
    }

    int deleteEvents(List<Long> ids) {
        return deleteByIds("event_log", ids);
    }

    record Revision(String caseId, int revision) {
    }

    /** Record revisions due, oldest first. */
    List<Revision> revisionsDue(Instant recordsCutoff, Instant deadLettersCutoff, int limit) {
        return jdbc.query("SELECT r.case_id, r.revision FROM case_record r WHERE " + RECORD_DUE + " ORDER BY r.emitted_at LIMIT ?",
                (rs, n) -> new Revision(rs.getString(1), rs.getInt(2)),
                at(recordsCutoff), at(recordsCutoff), at(deadLettersCutoff), limit);
    }

    /** Locks the revisions' cases (see {@link #lockCasesWithEventsDue}) and returns the revisions still due. */
    List<Revision> lockRevisionsDue(List<Revision> revisions, Instant recordsCutoff, Instant deadLettersCutoff) {
        List<String> caseIds = revisions.stream().map(Revision::caseId).distinct().sorted().toList();
        String in = placeholders(caseIds.size());
        jdbc.queryForList("SELECT case_id FROM case_state WHERE case_id IN (" + in + ") ORDER BY case_id FOR UPDATE",
                String.class, caseIds.toArray());
        List<Object> args = new ArrayList<>(List.of(at(recordsCutoff), at(recordsCutoff), at(deadLettersCutoff)));
        args.addAll(caseIds);
        List<Revision> due = jdbc.query("SELECT r.case_id, r.revision FROM case_record r WHERE " + RECORD_DUE
                        + " AND r.case_id IN (" + in + ")",
                (rs, n) -> new Revision(rs.getString(1), rs.getInt(2)), args.toArray());
        return due.stream().filter(revisions::contains).toList();
    }

    /** Removes the revisions and their finished deliveries. */
    int purgeRevisions(List<Revision> revisions) {
        jdbc.batchUpdate("DELETE FROM sink_delivery WHERE case_id = ? AND revision = ? AND erasure = FALSE AND state <> 'PENDING'",
                revisions, revisions.size(), (ps, r) -> {
                    ps.setString(1, r.caseId());
                    ps.setInt(2, r.revision());
                });
        int[][] counts = jdbc.batchUpdate("DELETE FROM case_record WHERE case_id = ? AND revision = ?",
                revisions, revisions.size(), (ps, r) -> {
                    ps.setString(1, r.caseId());
                    ps.setInt(2, r.revision());
                });
        return Arrays.stream(counts).flatMapToInt(Arrays::stream).map(count -> Math.max(count, 0)).sum();
    }

    /** Ids of rejected messages received before the cutoff, oldest first. */
    List<Long> rejectedMessagesDue(Instant cutoff, int limit) {
        return jdbc.queryForList("SELECT id FROM dead_letter WHERE received_at < ? ORDER BY received_at LIMIT ?",
                Long.class, at(cutoff), limit);
    }

    int deleteRejectedMessages(List<Long> ids) {
        return deleteByIds("dead_letter", ids);
    }

    /** Ids of sinks' dead letters dead-lettered before the cutoff, oldest first. */
    List<Long> sinkDeadLettersDue(Instant cutoff, int limit) {
        return jdbc.queryForList("SELECT id FROM sink_delivery WHERE state = 'DEAD' AND finished_at < ? ORDER BY finished_at LIMIT ?",
                Long.class, at(cutoff), limit);
    }

    int deleteSinkDeadLetters(List<Long> ids) {
        return deleteByIds("sink_delivery", ids);
    }

    private int deleteByIds(String table, List<Long> ids) {
        return ids.isEmpty() ? 0 : jdbc.update("DELETE FROM " + table + " WHERE id IN (" + placeholders(ids.size()) + ")", ids.toArray());
    }

    // --- what is stored, for the vep_storage_* gauges

    long caseEventRows() {
        return count("SELECT COUNT(*) FROM event_log WHERE routing_key IN (" + placeholders(CASE_ROUTING_KEYS.size()) + ")",
                CASE_ROUTING_KEYS.toArray());
    }

    long stateEventRows() {
        return count("SELECT COUNT(*) FROM event_log WHERE routing_key IN (" + placeholders(STATE_ROUTING_KEYS.size()) + ")",
                STATE_ROUTING_KEYS.toArray());
    }

    long caseRecordRows() {
        return count("SELECT COUNT(*) FROM case_record");
    }

    long deadLetterRows() {
        return count("SELECT COUNT(*) FROM dead_letter") + count("SELECT COUNT(*) FROM sink_delivery WHERE state = 'DEAD'");
    }

    /**
     * Mean bytes per row of the newest rows of a class: their stored text plus what the other columns
     * and the indexes take (about {@link #ROW_OVERHEAD} bytes). An estimate that reads a thousand rows,
     * where measuring a table means reading all of it.
     */
    long recentCaseEventBytes() {
        return meanBytes("SELECT AVG(OCTET_LENGTH(body)) FROM (SELECT body FROM event_log WHERE routing_key IN ("
                + placeholders(CASE_ROUTING_KEYS.size()) + ") ORDER BY id DESC LIMIT 1000) newest", CASE_ROUTING_KEYS.toArray());
    }

    long recentStateEventBytes() {
        return meanBytes("SELECT AVG(OCTET_LENGTH(body)) FROM (SELECT body FROM event_log WHERE routing_key IN ("
                + placeholders(STATE_ROUTING_KEYS.size()) + ") ORDER BY id DESC LIMIT 1000) newest", STATE_ROUTING_KEYS.toArray());
    }

    long recentRecordBytes() {
        return meanBytes("SELECT AVG(OCTET_LENGTH(record)) FROM (SELECT record FROM case_record ORDER BY emitted_at DESC LIMIT 1000) newest");
    }

    long recentDeadLetterBytes() {
        return meanBytes("SELECT AVG(OCTET_LENGTH(body)) FROM (SELECT body FROM dead_letter ORDER BY id DESC LIMIT 1000) newest");
    }

    private long meanBytes(String sql, Object... args) {
        Number mean = jdbc.queryForObject(sql, Number.class, args);
        return mean == null ? 0 : mean.longValue() + ROW_OVERHEAD;
    }

    /** When the oldest stored event of these types was received. */
    Optional<Instant> oldestEvent(List<String> routingKeys) {
        return routingKeys.stream()
                .map(key -> oldest("SELECT received_at FROM event_log WHERE routing_key = ? ORDER BY received_at LIMIT 1", key))
                .flatMap(Optional::stream).min(Instant::compareTo);
    }

    static List<String> caseRoutingKeys() {
        return CASE_ROUTING_KEYS;
    }

    Optional<Instant> oldestRecord() {
        return oldest("SELECT emitted_at FROM case_record ORDER BY emitted_at LIMIT 1");
    }

    Optional<Instant> oldestDeadLetter() {
        return java.util.stream.Stream.of(oldest("SELECT received_at FROM dead_letter ORDER BY received_at LIMIT 1"),
                        oldest("SELECT finished_at FROM sink_delivery WHERE state = 'DEAD' ORDER BY finished_at LIMIT 1"))
                .flatMap(Optional::stream).min(Instant::compareTo);
    }

    private long count(String sql, Object... args) {
        Long count = jdbc.queryForObject(sql, Long.class, args);
        return count == null ? 0 : count;
    }

    private Optional<Instant> oldest(String sql, Object... args) {
        return jdbc.query(sql, (rs, n) -> rs.getObject(1, OffsetDateTime.class), args).stream().findFirst().map(OffsetDateTime::toInstant);
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static String placeholders(int count) {
        return String.join(",", Collections.nCopies(count, "?"));
    }
}
