package dev.vepconnector.sinks;

import static dev.vepconnector.sinks.SinkBackfillStore.at;
import static dev.vepconnector.sinks.SinkBackfillStore.placeholders;

import dev.vepconnector.storage.StorageDurability;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** The sink_bulk_job table, and the deliveries its jobs hold (sink_delivery.bulk_job_id). */
@Repository
class SinkBulkJobStore {

    static final String FILLING = "FILLING";
    static final String READY = "READY";
    static final String CREATED = "CREATED";
    static final String UPLOADED = "UPLOADED";
    static final String DONE = "DONE";

    private static final String COLUMNS = "id, backfill_id, sink, state, records, bytes, remote_id, attempts";

    private final JdbcTemplate jdbc;
    private final String skipLocked;
    private final boolean shared;

    SinkBulkJobStore(JdbcTemplate jdbc, StorageDurability storage) {
        this.jdbc = jdbc;
        this.shared = storage.isShared();
        this.skipLocked = shared ? " SKIP LOCKED" : "";
    }

    /**
     * Jobs left leased by a previous run that ended abruptly: on the embedded database (one process) they are
     * free at once; on a shared one another replica may hold them, and their leases run out on their own.
     */
    int releaseStaleLeases() {
        return shared ? 0 : jdbc.update("UPDATE sink_bulk_job SET lease_owner = NULL, lease_until = NULL WHERE lease_owner IS NOT NULL");
    }

    /** A bulk job; {@code remoteId} is the peer's job id once it was created there. */
    record BulkJob(long id, long backfillId, String sink, String state, int records, long bytes, String remoteId, int attempts) {
    }

    /** A record a job holds. */
    record HeldRecord(String caseId, int revision, Instant queuedAt, String record) {
    }

    Optional<BulkJob> filling(long backfillId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM sink_bulk_job WHERE backfill_id = ? AND state = 'FILLING'", SinkBulkJobStore::job,
                backfillId).stream().findFirst();
    }

    BulkJob open(long backfillId, String sink, Instant now) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            var insert = connection.prepareStatement("""
                    INSERT INTO sink_bulk_job (backfill_id, sink, state, records, bytes, next_attempt_at, created_at)
                    VALUES (?, ?, 'FILLING', 0, 0, ?, ?)""", new String[] {"id"});
            insert.setLong(1, backfillId);
            insert.setString(2, sink);
            insert.setObject(3, at(now));
            insert.setObject(4, at(now));
            return insert;
        }, key);
        return new BulkJob(key.getKey().longValue(), backfillId, sink, FILLING, 0, 0, null, 0);
    }

    void fill(long id, int records, long bytes) {
        jdbc.update("UPDATE sink_bulk_job SET records = ?, bytes = ? WHERE id = ?", records, bytes, id);
    }

    void ready(long id, Instant now) {
        jdbc.update("UPDATE sink_bulk_job SET state = 'READY', next_attempt_at = ? WHERE id = ? AND state = 'FILLING'", at(now), id);
    }

    /** Takes the sink's oldest due job in one of these states for the owner until the lease ends. Call in a transaction. */
    Optional<BulkJob> take(String sink, List<String> states, String owner, Instant now, Instant leaseUntil) {
        List<Object> args = new ArrayList<>(List.of(sink));
        args.addAll(states);
        args.addAll(List.of(at(now), at(now)));
        Optional<BulkJob> due = jdbc.query("SELECT " + COLUMNS + " FROM sink_bulk_job WHERE sink = ? AND state IN (" + placeholders(states.size())
                + ") AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?) ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE"
                + skipLocked, SinkBulkJobStore::job, args.toArray()).stream().findFirst();
        due.ifPresent(job -> jdbc.update("UPDATE sink_bulk_job SET lease_owner = ?, lease_until = ? WHERE id = ?", owner, at(leaseUntil),
                job.id()));
        return due;
    }

    Optional<BulkJob> find(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM sink_bulk_job WHERE id = ?", SinkBulkJobStore::job, id).stream().findFirst();
    }

    /** The records the job still holds, with the revision each delivery is for. */
    List<HeldRecord> records(long jobId) {
        return jdbc.query("""
                        SELECT d.case_id, d.revision, d.created_at, r.record FROM sink_delivery d
                        JOIN case_record r ON r.case_id = d.case_id AND r.revision = d.revision
                        WHERE d.bulk_job_id = ? AND d.state = 'PENDING' ORDER BY d.case_id""",
                (rs, n) -> new HeldRecord(rs.getString(1), rs.getInt(2), rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getString(4)),
                jobId);
    }

    void created(long id, String remoteId) {
        jdbc.update("UPDATE sink_bulk_job SET state = 'CREATED', remote_id = ? WHERE id = ?", remoteId, id);
    }

    /** The peer has the whole upload and works on it: polled from {@code nextPoll} on. */
    void uploaded(long id, Instant nextPoll) {
        jdbc.update("UPDATE sink_bulk_job SET state = 'UPLOADED', next_attempt_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ?",
                at(nextPoll), id);
    }

    /** Looked at again from {@code next} on (still running, or a failure to retry); the lease is given up. */
    void later(long id, int attempts, Instant next, String error) {
        jdbc.update("UPDATE sink_bulk_job SET attempts = ?, next_attempt_at = ?, last_error = COALESCE(?, last_error), lease_owner = NULL, "
                + "lease_until = NULL WHERE id = ?", attempts, at(next), error, id);
    }

    /** A job whose upload never completed: ready for a new job at the peer. */
    void reopen(long id, Instant now) {
        jdbc.update("UPDATE sink_bulk_job SET state = 'READY', remote_id = NULL, next_attempt_at = ?, lease_owner = NULL, lease_until = NULL "
                + "WHERE id = ?", at(now), id);
    }

    void done(long id, Instant now, String error) {
        jdbc.update("UPDATE sink_bulk_job SET state = 'DONE', finished_at = ?, last_error = COALESCE(?, last_error), lease_owner = NULL, "
                + "lease_until = NULL WHERE id = ?", at(now), error, id);
    }

    /** The job's deliveries of these cases, delivered. */
    int delivered(long jobId, Collection<String> caseIds, Instant now) {
        if (caseIds.isEmpty()) {
            return 0;
        }
        int[][] counts = jdbc.batchUpdate("""
                        UPDATE sink_delivery SET state = 'DELIVERED', attempts = attempts + 1, finished_at = ?, last_error = NULL, bulk_job_id = NULL
                        WHERE bulk_job_id = ? AND case_id = ? AND state = 'PENDING'""",
                caseIds, caseIds.size(), (ps, caseId) -> {
                    ps.setObject(1, at(now));
                    ps.setLong(2, jobId);
                    ps.setString(3, caseId);
                });
        return sum(counts);
    }

    /** The job's deliveries of these cases (case id to error), dead letters of the sink. */
    int dead(long jobId, Map<String, String> errors, Instant now) {
        if (errors.isEmpty()) {
            return 0;
        }
        List<Map.Entry<String, String>> entries = List.copyOf(errors.entrySet());
        int[][] counts = jdbc.batchUpdate("""
                        UPDATE sink_delivery SET state = 'DEAD', attempts = attempts + 1, finished_at = ?, last_error = ?, bulk_job_id = NULL
                        WHERE bulk_job_id = ? AND case_id = ? AND state = 'PENDING'""",
                entries, entries.size(), (ps, entry) -> {
                    ps.setObject(1, at(now));
                    ps.setString(2, entry.getValue());
                    ps.setLong(3, jobId);
                    ps.setString(4, entry.getKey());
                });
        return sum(counts);
    }

    /** What the job still holds goes to the sink's own route, record by record; returns how many. */
    int release(long jobId) {
        return jdbc.update("UPDATE sink_delivery SET bulk_job_id = NULL WHERE bulk_job_id = ?", jobId);
    }

    private static int sum(int[][] counts) {
        int sum = 0;
        for (int[] batch : counts) {
            for (int count : batch) {
                sum += Math.max(count, 0);
            }
        }
        return sum;
    }

    private static BulkJob job(ResultSet rs, int n) throws SQLException {
        return new BulkJob(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getInt(5), rs.getLong(6), rs.getString(7),
                rs.getInt(8));
    }
}
