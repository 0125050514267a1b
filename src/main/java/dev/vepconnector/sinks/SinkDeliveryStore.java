package dev.vepconnector.sinks;

import dev.vepconnector.storage.StorageDurability;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The sink_delivery table: every sink's durable delivery queue, and its dead letters. */
@Repository
public class SinkDeliveryStore {

    static final String PENDING = "PENDING";
    static final String DELIVERED = "DELIVERED";
    static final String DEAD = "DEAD";

    private final JdbcTemplate jdbc;
    private final String skipLocked;
    private final boolean shared;

    SinkDeliveryStore(JdbcTemplate jdbc, StorageDurability storage) {
        this.jdbc = jdbc;
        // PostgreSQL lets replicas claim different rows at once; H2 (one replica) has no SKIP LOCKED.
        this.shared = storage.isShared();
        this.skipLocked = shared ? " SKIP LOCKED" : "";
    }

    /**
     * Leases left by a previous run that ended abruptly. The embedded database belongs to one process,
     * so at start every lease in it is stale and is released at once; on a shared database another
     * replica may hold them, and they run out on their own.
     */
    int releaseStaleLeases() {
        return shared ? 0 : jdbc.update("UPDATE sink_delivery SET lease_owner = NULL, lease_until = NULL WHERE lease_owner IS NOT NULL");
    }

    /**
     * A delivery taken by this worker until {@code leaseUntil}: a record revision ({@code json}; null
     * when the case was erased since), or the notice that the case was erased ({@code erasure}).
     */
    record Claimed(long id, String caseId, int revision, int attempts, String json, Instant createdAt, boolean erasure) {

        /** A revision of a case erased since it was queued: nothing is left to deliver. */
        boolean erasedSince() {
            return json == null && !erasure;
        }
    }

    /** A dead letter as the API lists it. */
    public record DeadDelivery(long id, String caseId, int revision, int attempts, String lastError, Instant createdAt,
                               Instant deadAt) {
    }

    void enqueue(List<String> sinks, String caseId, int revision, Instant now) {
        jdbc.batchUpdate("""
                        INSERT INTO sink_delivery (sink, case_id, revision, state, attempts, next_attempt_at, created_at)
                        VALUES (?, ?, ?, 'PENDING', 0, ?, ?) ON CONFLICT DO NOTHING""",
                sinks, sinks.size(), (ps, sink) -> {
                    ps.setString(1, sink);
                    ps.setString(2, caseId);
                    ps.setInt(3, revision);
                    ps.setObject(4, now.atOffset(ZoneOffset.UTC));
                    ps.setObject(5, now.atOffset(ZoneOffset.UTC));
                });
    }

    /**
     * Queues the notice that the case was erased for these sinks as revision {@code revision}, after
     * every revision of the case they may still be delivering, so they get it last.
     */
    void enqueueErasure(List<String> sinks, String caseId, int revision, Instant now) {
        jdbc.batchUpdate("""
                        INSERT INTO sink_delivery (sink, case_id, revision, state, attempts, next_attempt_at, created_at, erasure)
                        VALUES (?, ?, ?, 'PENDING', 0, ?, ?, TRUE) ON CONFLICT DO NOTHING""",
                sinks, sinks.size(), (ps, sink) -> {
                    ps.setString(1, sink);
                    ps.setString(2, caseId);
                    ps.setInt(3, revision);
                    ps.setObject(4, now.atOffset(ZoneOffset.UTC));
                    ps.setObject(5, now.atOffset(ZoneOffset.UTC));
                });
    }

    /** The highest revision of the case any sink has queued or had (0: none). */
    int lastRevision(String caseId) {
        Integer last = jdbc.queryForObject("SELECT MAX(revision) FROM sink_delivery WHERE case_id = ?", Integer.class, caseId);
        return last == null ? 0 : last;
    }

    /**
     * Removes the case's deliveries and dead letters, except those a replica is delivering right now:
     * those finish (or their lease runs out) first, and go with the rest once the sink has been told of
     * the erasure. Returns how many went.
     */
    int removeCase(String caseId, Instant now) {
        return jdbc.update("DELETE FROM sink_delivery WHERE case_id = ? AND erasure = FALSE AND (lease_until IS NULL OR lease_until < ?)",
                caseId, now.atOffset(ZoneOffset.UTC));
    }

    /** Removes everything the sink had of the case, once it has been told of the erasure. */
    void forget(String sink, String caseId) {
        jdbc.update("DELETE FROM sink_delivery WHERE sink = ? AND case_id = ?", sink, caseId);
    }

    /** Deliveries of records as they are emitted. */
    private static final String LIVE = "backfill_id IS NULL";
    /** Deliveries a backfill queued, but those a bulk job holds (the sink's bulk route delivers them). */
    private static final String BACKFILLED = "backfill_id IS NOT NULL AND bulk_job_id IS NULL";

    /**
     * Takes up to {@code limit} due deliveries of the sink for this owner until the lease ends. A
     * revision is only taken when no earlier revision of its case is still pending, so a sink gets a
     * case's revisions in order. Live deliveries come first and a backfill's fill the rest of the claim, so
     * a large backfill does not hold up the records emitted meanwhile. Call in a transaction.
     */
    List<Claimed> claim(String sink, String owner, Instant now, Instant leaseUntil, int limit) {
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        List<Long> ids = new ArrayList<>(due(sink, at, LIVE, limit));
        if (ids.size() < limit) {
            ids.addAll(due(sink, at, BACKFILLED, limit - ids.size()));
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        String in = String.join(",", Collections.nCopies(ids.size(), "?"));
        Object[] args = new Object[ids.size() + 2];
        args[0] = owner;
        args[1] = leaseUntil.atOffset(ZoneOffset.UTC);
        for (int i = 0; i < ids.size(); i++) {
            args[i + 2] = ids.get(i);
        }
        jdbc.update("UPDATE sink_delivery SET lease_owner = ?, lease_until = ? WHERE id IN (" + in + ")", args);
        List<Claimed> claimed = jdbc.query("""
                        SELECT d.id, d.case_id, d.revision, d.attempts, r.record, d.created_at, d.erasure
                        FROM sink_delivery d LEFT JOIN case_record r ON r.case_id = d.case_id AND r.revision = d.revision
                        WHERE d.id IN (""" + in + ")",
                (rs, n) -> new Claimed(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getString(5),
                        rs.getObject(6, OffsetDateTime.class).toInstant(), rs.getBoolean(7)),
                ids.toArray());
        // Delivered in the order claimed: the live ones first.
        claimed.sort(java.util.Comparator.comparingInt(delivery -> ids.indexOf(delivery.id())));
        return claimed;
    }

    /** Up to {@code limit} ids of due deliveries of the lane ({@link #LIVE} or {@link #BACKFILLED}) that may go now. */
    private List<Long> due(String sink, OffsetDateTime at, String lane, int limit) {
        List<Candidate> due = jdbc.query("""
                        SELECT id, case_id, revision FROM sink_delivery
                        WHERE sink = ? AND state = 'PENDING' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?)
                        AND\s""" + lane + " ORDER BY id LIMIT ? FOR UPDATE" + skipLocked,
                (rs, n) -> new Candidate(rs.getLong(1), rs.getString(2), rs.getInt(3)), sink, at, at, limit * 4);
        // Room for candidates that must wait for an earlier revision of their case.
        return inRevisionOrder(sink, due).stream().limit(limit).toList();
    }

    private record Candidate(long id, String caseId, int revision) {
    }

    /**
     * The candidates that are the oldest pending revision of their case: a later revision waits until the
     * earlier one is delivered or dead. (A separate indexed query, not a self-join: the planner cannot
     * misjudge it while the table's statistics still describe an empty table. It asks for every sink's
     * pending revisions of the cases and keeps this sink's: given {@code sink = ?} too, H2 looks up the
     * sink in the unique index and reads every delivery the sink ever had, on every claim.)
     */
    private List<Long> inRevisionOrder(String sink, List<Candidate> due) {
        if (due.isEmpty()) {
            return List.of();
        }
        List<String> caseIds = due.stream().map(Candidate::caseId).distinct().toList();
        String in = String.join(",", Collections.nCopies(caseIds.size(), "?"));
        java.util.Map<String, Integer> oldest = new java.util.HashMap<>();
        jdbc.query("SELECT case_id, sink, MIN(revision) FROM sink_delivery WHERE state = 'PENDING' AND case_id IN (" + in
                + ") GROUP BY case_id, sink", rs -> {
                    if (sink.equals(rs.getString(2))) {
                        oldest.put(rs.getString(1), rs.getInt(3));
                    }
                }, caseIds.toArray());
        return due.stream().filter(c -> oldest.getOrDefault(c.caseId(), c.revision()) == c.revision()).map(Candidate::id).toList();
    }

    /** A delivery done at {@code at}. */
    record Done(long id, Instant at) {
    }

    /** Marks the deliveries delivered, in one batch (call in a transaction, so they commit together). */
    void delivered(List<Done> done, String owner) {
        jdbc.batchUpdate("""
                        UPDATE sink_delivery SET state = 'DELIVERED', attempts = attempts + 1, finished_at = ?, last_error = NULL,
                               lease_owner = NULL, lease_until = NULL
                        WHERE id = ? AND lease_owner = ?""",
                done, done.size(), (ps, delivery) -> {
                    ps.setObject(1, delivery.at().atOffset(ZoneOffset.UTC));
                    ps.setLong(2, delivery.id());
                    ps.setString(3, owner);
                });
    }

    void failed(long id, String owner, Instant nextAttempt, String error) {
        jdbc.update("""
                        UPDATE sink_delivery SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?,
                               lease_owner = NULL, lease_until = NULL
                        WHERE id = ? AND lease_owner = ?""",
                nextAttempt.atOffset(ZoneOffset.UTC), error, id, owner);
    }

    /** Gives a delivery back without counting an attempt (its sink failed on another record just now). */
    void release(long id, String owner, Instant nextAttempt) {
        jdbc.update("UPDATE sink_delivery SET next_attempt_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?",
                nextAttempt.atOffset(ZoneOffset.UTC), id, owner);
    }

    void extendLease(String sink, String owner, Instant until) {
        jdbc.update("UPDATE sink_delivery SET lease_until = ? WHERE sink = ? AND lease_owner = ? AND state = 'PENDING'",
                until.atOffset(ZoneOffset.UTC), sink, owner);
    }

    void dead(long id, String owner, Instant now, String error) {
        jdbc.update("""
                        UPDATE sink_delivery SET state = 'DEAD', attempts = attempts + 1, finished_at = ?, last_error = ?,
                               lease_owner = NULL, lease_until = NULL
                        WHERE id = ? AND lease_owner = ?""",
                now.atOffset(ZoneOffset.UTC), error, id, owner);
    }

    /** Puts dead letters back in the queue (all of the sink's when {@code id} is null); returns how many. */
    public int replay(String sink, Long id, Instant now) {
        String byId = id == null ? "" : " AND id = ?";
        Object[] args = id == null ? new Object[] {now.atOffset(ZoneOffset.UTC), sink} : new Object[] {now.atOffset(ZoneOffset.UTC), sink, id};
        return jdbc.update("UPDATE sink_delivery SET state = 'PENDING', attempts = 0, next_attempt_at = ?, finished_at = NULL "
                + "WHERE sink = ? AND state = 'DEAD'" + byId, args);
    }

    public List<DeadDelivery> deadLetters(String sink, int limit) {
        return jdbc.query("""
                        SELECT id, case_id, revision, attempts, last_error, created_at, finished_at FROM sink_delivery
                        WHERE sink = ? AND state = 'DEAD' ORDER BY id DESC LIMIT ?""",
                (rs, n) -> new DeadDelivery(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getString(5),
                        rs.getObject(6, OffsetDateTime.class).toInstant(), rs.getObject(7, OffsetDateTime.class).toInstant()),
                sink, limit);
    }

    long count(String sink, String state) {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM sink_delivery WHERE sink = ? AND state = ?", Long.class, sink, state);
        return count == null ? 0 : count;
    }
}
