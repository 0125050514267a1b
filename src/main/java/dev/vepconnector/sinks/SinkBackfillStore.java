package dev.vepconnector.sinks;

import dev.vepconnector.storage.StorageDurability;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** The sink_backfill table and the backfill's queries on the stored records and the delivery queue. */
@Repository
class SinkBackfillStore {

    static final String QUEUING = "QUEUING";
    static final String DELIVERING = "DELIVERING";
    static final String FINISHED = "FINISHED";

    private static final String COLUMNS = """
            id, sink, range_from, range_to, state, bulk, cases, cursor_at, cursor_case_id, cursor_revision, already_pending,
            queued, delivered, dead, started_at, queued_at, finished_at""";

    private final JdbcTemplate jdbc;
    private final String skipLocked;

    SinkBackfillStore(JdbcTemplate jdbc, StorageDurability storage) {
        this.jdbc = jdbc;
        // Replicas sharing PostgreSQL pass over a backfill another one is queuing; H2 (one replica) has no SKIP LOCKED.
        this.skipLocked = storage.isShared() ? " SKIP LOCKED" : "";
    }

    /** Where the queuing is: the last record revision it looked at, in (emitted_at, case_id, revision) order. */
    record Cursor(Instant at, String caseId, int revision) {
    }

    /**
     * A backfill as stored; {@code queued}, {@code delivered} and {@code dead} are null until it finished
     * (they are counted from its deliveries while it runs).
     */
    record Backfill(long id, String sink, Instant from, Instant to, String state, boolean bulk, long cases, Cursor cursor,
                    long alreadyPending, Long queued, Long delivered, Long dead, Instant startedAt, Instant queuedAt,
                    Instant finishedAt) {
    }

    /** A backfill's deliveries by state. */
    record Counts(long pending, long delivered, long dead) {

        long queued() {
            return pending + delivered + dead;
        }
    }

    /** A stored record revision, as the queuing walks them. */
    record Walked(String caseId, int revision, Instant emittedAt) {
    }

    /** The latest kept revision of a case, and the size of its record. */
    record Latest(int revision, long length) {
    }

    /** A delivery of one of the cases, to any sink. */
    record Delivery(String sink, int revision, String state, Long backfillId) {
    }

    /** Guards the check for an identical backfill and the insert of a new one against another replica doing the same. */
    void lockStarts(boolean shared, String sink) {
        if (shared) {
            jdbc.queryForObject("SELECT pg_advisory_xact_lock(?)", Object.class, 0x76657042_00000000L + sink.hashCode());
        }
    }

    long countCases(Instant from, Instant to) {
        Long cases = jdbc.queryForObject("SELECT COUNT(DISTINCT case_id) FROM case_record WHERE emitted_at >= ? AND emitted_at < ?",
                Long.class, at(from), at(to));
        return cases == null ? 0 : cases;
    }

    long insert(String sink, Instant from, Instant to, boolean bulk, long cases, Instant now) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            var insert = connection.prepareStatement("""
                    INSERT INTO sink_backfill (sink, range_from, range_to, state, bulk, cases, cursor_at, cursor_case_id, cursor_revision,
                                               started_at)
                    VALUES (?, ?, ?, 'QUEUING', ?, ?, ?, '', 0, ?)""", new String[] {"id"});
            insert.setString(1, sink);
            insert.setObject(2, at(from));
            insert.setObject(3, at(to));
            insert.setBoolean(4, bulk);
            insert.setLong(5, cases);
            insert.setObject(6, at(from));
            insert.setObject(7, at(now));
            return insert;
        }, key);
        return key.getKey().longValue();
    }

    Optional<Backfill> find(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM sink_backfill WHERE id = ?", SinkBackfillStore::backfill, id).stream().findFirst();
    }

    /** The unfinished backfill of the sink with exactly this range, if any. */
    Optional<Backfill> unfinished(String sink, Instant from, Instant to) {
        return jdbc.query("SELECT " + COLUMNS + " FROM sink_backfill WHERE sink = ? AND state <> 'FINISHED' AND range_from = ? AND range_to = ?",
                SinkBackfillStore::backfill, sink, at(from), at(to)).stream().findFirst();
    }

    /** Ids of the sink's backfills that have not finished. */
    Set<Long> unfinishedIds(String sink) {
        return new HashSet<>(jdbc.queryForList("SELECT id FROM sink_backfill WHERE sink = ? AND state <> 'FINISHED'", Long.class, sink));
    }

    List<Backfill> newest(String sink, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM sink_backfill WHERE sink = ? ORDER BY id DESC LIMIT ?",
                SinkBackfillStore::backfill, sink, limit);
    }

    List<Long> idsIn(String state) {
        return jdbc.queryForList("SELECT id FROM sink_backfill WHERE state = ? ORDER BY id", Long.class, state);
    }

    /** Locks the backfill if it is in that state and no other replica holds it. Call in a transaction. */
    Optional<Backfill> lock(long id, String state) {
        return jdbc.query("SELECT " + COLUMNS + " FROM sink_backfill WHERE id = ? AND state = ? FOR UPDATE" + skipLocked,
                SinkBackfillStore::backfill, id, state).stream().findFirst();
    }

    /** The next stored record revisions of the range after the cursor, in (emitted_at, case_id, revision) order. */
    List<Walked> walk(Backfill backfill, int limit) {
        Cursor cursor = backfill.cursor();
        return jdbc.query("""
                        SELECT case_id, revision, emitted_at FROM case_record
                        WHERE emitted_at >= ? AND emitted_at < ? AND (emitted_at, case_id, revision) > (?, ?, ?)
                        ORDER BY emitted_at, case_id, revision LIMIT ?""",
                (rs, n) -> new Walked(rs.getString(1), rs.getInt(2), instant(rs, 3)),
                at(cursor.at()), at(backfill.to()), at(cursor.at()), cursor.caseId(), cursor.revision(), limit);
    }

    /**
     * Locks the cases' progress rows in case id order, as aggregation, erasure and the purge do: no revision
     * of these cases is emitted, purged or erased until the batch commits.
     */
    void lockCases(List<String> caseIds) {
        List<String> sorted = caseIds.stream().sorted().toList();
        jdbc.queryForList("SELECT case_id FROM case_state WHERE case_id IN (" + placeholders(sorted.size()) + ") ORDER BY case_id FOR UPDATE",
                String.class, sorted.toArray());
    }

    /** The latest kept revision of each of the cases (a case whose revisions are all gone is absent). */
    Map<String, Latest> latest(List<String> caseIds) {
        Map<String, Latest> latest = new HashMap<>();
        jdbc.query("SELECT case_id, revision, LENGTH(record) FROM case_record WHERE case_id IN (" + placeholders(caseIds.size()) + ")",
                rs -> {
                    Latest known = latest.get(rs.getString(1));
                    if (known == null || known.revision() < rs.getInt(2)) {
                        latest.put(rs.getString(1), new Latest(rs.getInt(2), rs.getLong(3)));
                    }
                }, caseIds.toArray());
        return latest;
    }

    /**
     * Every delivery of the cases, to any sink, by case. (Asked without the sink: given {@code sink = ?}, H2
     * looks the sink up in the unique index and reads every delivery the sink ever had; see the claim.)
     */
    Map<String, List<Delivery>> deliveries(List<String> caseIds) {
        Map<String, List<Delivery>> deliveries = new HashMap<>();
        jdbc.query("SELECT case_id, sink, revision, state, backfill_id FROM sink_delivery WHERE erasure = FALSE AND case_id IN ("
                        + placeholders(caseIds.size()) + ")",
                rs -> {
                    deliveries.computeIfAbsent(rs.getString(1), id -> new ArrayList<>())
                            .add(new Delivery(rs.getString(2), rs.getInt(3), rs.getString(4), rs.getObject(5, Long.class)));
                }, caseIds.toArray());
        return deliveries;
    }

    /** A revision to queue for the sink: a new delivery, or a finished one queued again. */
    record Queued(String caseId, int revision, boolean again, Long bulkJobId) {
    }

    void queue(String sink, long backfillId, List<Queued> queued, Instant now) {
        List<Queued> again = queued.stream().filter(Queued::again).toList();
        List<Queued> fresh = queued.stream().filter(q -> !q.again()).toList();
        if (!again.isEmpty()) {
            requeueDeliveries(sink, backfillId, again, now);
        }
        if (!fresh.isEmpty()) {
            insertDeliveries(sink, backfillId, fresh, now);
        }
    }

    private void requeueDeliveries(String sink, long backfillId, List<Queued> again, Instant now) {
        // Queued again as if new: its attempts, its error and its emission-to-delivery latency start over.
        jdbc.batchUpdate("""
                        UPDATE sink_delivery SET state = 'PENDING', attempts = 0, next_attempt_at = ?, created_at = ?, finished_at = NULL,
                               last_error = NULL, backfill_id = ?, bulk_job_id = ?
                        WHERE sink = ? AND case_id = ? AND revision = ? AND state <> 'PENDING'""",
                again, again.size(), (ps, q) -> {
                    ps.setObject(1, at(now));
                    ps.setObject(2, at(now));
                    ps.setLong(3, backfillId);
                    setBulkJob(ps, 4, q.bulkJobId());
                    ps.setString(5, sink);
                    ps.setString(6, q.caseId());
                    ps.setInt(7, q.revision());
                });
    }

    private void insertDeliveries(String sink, long backfillId, List<Queued> fresh, Instant now) {
        jdbc.batchUpdate("""
                        INSERT INTO sink_delivery (sink, case_id, revision, state, attempts, next_attempt_at, created_at, backfill_id, bulk_job_id)
                        VALUES (?, ?, ?, 'PENDING', 0, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                fresh, fresh.size(), (ps, q) -> {
                    ps.setString(1, sink);
                    ps.setString(2, q.caseId());
                    ps.setInt(3, q.revision());
                    ps.setObject(4, at(now));
                    ps.setObject(5, at(now));
                    ps.setLong(6, backfillId);
                    setBulkJob(ps, 7, q.bulkJobId());
                });
    }

    private static void setBulkJob(java.sql.PreparedStatement ps, int index, Long bulkJobId) throws SQLException {
        if (bulkJobId == null) {
            ps.setNull(index, java.sql.Types.BIGINT);
        } else {
            ps.setLong(index, bulkJobId);
        }
    }

    /** Moves the cursor past the batch. */
    void advance(long id, Walked last, long alreadyPending) {
        jdbc.update("UPDATE sink_backfill SET cursor_at = ?, cursor_case_id = ?, cursor_revision = ?, already_pending = already_pending + ? "
                + "WHERE id = ?", at(last.emittedAt()), last.caseId(), last.revision(), alreadyPending, id);
    }

    /** Everything in the range is queued: the backfill waits for its deliveries. */
    void queued(long id, long alreadyPending, Instant now) {
        jdbc.update("UPDATE sink_backfill SET state = 'DELIVERING', queued_at = ?, already_pending = already_pending + ? WHERE id = ?",
                at(now), alreadyPending, id);
    }

    boolean hasPending(long id) {
        return !jdbc.queryForList("SELECT 1 FROM sink_delivery WHERE backfill_id = ? AND state = 'PENDING' LIMIT 1", Integer.class, id)
                .isEmpty();
    }

    Counts counts(long id) {
        Map<String, Long> byState = new HashMap<>();
        jdbc.query("SELECT state, COUNT(*) FROM sink_delivery WHERE backfill_id = ? GROUP BY state",
                rs -> {
                    byState.put(rs.getString(1), rs.getLong(2));
                }, id);
        return new Counts(byState.getOrDefault(SinkDeliveryStore.PENDING, 0L), byState.getOrDefault(SinkDeliveryStore.DELIVERED, 0L),
                byState.getOrDefault(SinkDeliveryStore.DEAD, 0L));
    }

    /** Finished: its figures are written down, so they stay when its deliveries go (a later backfill, the purge). */
    void finish(long id, Counts counts, Instant now) {
        jdbc.update("UPDATE sink_backfill SET state = 'FINISHED', queued = ?, delivered = ?, dead = ?, finished_at = ? WHERE id = ?",
                counts.queued(), counts.delivered(), counts.dead(), at(now), id);
    }

    private static Backfill backfill(ResultSet rs, int n) throws SQLException {
        return new Backfill(rs.getLong("id"), rs.getString("sink"), instant(rs, "range_from"), instant(rs, "range_to"), rs.getString("state"),
                rs.getBoolean("bulk"), rs.getLong("cases"),
                new Cursor(instant(rs, "cursor_at"), rs.getString("cursor_case_id"), rs.getInt("cursor_revision")),
                rs.getLong("already_pending"), rs.getObject("queued", Long.class), rs.getObject("delivered", Long.class),
                rs.getObject("dead", Long.class), instant(rs, "started_at"), instant(rs, "queued_at"), instant(rs, "finished_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static OffsetDateTime at(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static String placeholders(int count) {
        return String.join(",", Collections.nCopies(count, "?"));
    }
}
