package dev.vepconnector.ingest;

import dev.vepconnector.events.RejectReason;
import dev.vepconnector.storage.Hashing;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Messages the connector could not accept, kept with their routing key, the reason and the body as
 * received. A body that is not UTF-8 text (or holds NUL, which PostgreSQL text cannot) is kept in
 * base64 so not a byte is lost. The same message dead-lettered twice (a redelivery) is kept once.
 * A replay takes dead letters out again, with the bytes as received.
 */
@Repository
public class DeadLetterStore {

    private static final String INSERT = """
            INSERT INTO dead_letter (dedup_key, routing_key, reason_code, reason, received_at, body, body_encoding)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";

    private static final String SELECT_REPLAYABLE = "SELECT id, routing_key, reason_code, body, body_encoding FROM dead_letter";

    private final JdbcTemplate jdbc;

    public DeadLetterStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record Entry(String routingKey, byte[] body, RejectReason reason, String detail, Instant receivedAt) {
    }

    /** A dead letter as the API shows it; {@code reason} starts with the reason code. */
    public record DeadLetter(long id, String routingKey, String reasonCode, String reason, Instant receivedAt,
                             String body, String bodyEncoding) {
    }

    /** A dead letter taken out to be processed again: its routing key and body as received. */
    record Replayable(long id, String routingKey, String reasonCode, byte[] body) {
    }

    void insert(List<Entry> entries) {
        jdbc.batchUpdate(INSERT, entries, entries.size(), (ps, entry) -> {
            String text = asText(entry.body());
            String routingKey = entry.routingKey() == null ? "" : entry.routingKey();
            ps.setString(1, Hashing.sha256Hex(routingKey.getBytes(StandardCharsets.UTF_8), new byte[] {'\n'}, entry.body()));
            ps.setString(2, routingKey);
            ps.setString(3, entry.reason().code());
            ps.setString(4, entry.reason().code() + ": " + entry.detail());
            ps.setObject(5, entry.receivedAt().atOffset(ZoneOffset.UTC));
            ps.setString(6, text != null ? text : Base64.getEncoder().encodeToString(entry.body()));
            ps.setString(7, text != null ? "utf-8" : "base64");
        });
    }

    public List<DeadLetter> newest(int limit, Long beforeId) {
        String sql = "SELECT id, routing_key, reason_code, reason, received_at, body, body_encoding FROM dead_letter"
                + (beforeId == null ? "" : " WHERE id < ?") + " ORDER BY id DESC LIMIT ?";
        Object[] args = beforeId == null ? new Object[] {limit} : new Object[] {beforeId, limit};
        return jdbc.query(sql, (rs, n) -> new DeadLetter(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getString(6), rs.getString(7)), args);
    }

    /** The highest id now: a replay of many stops there, so what it dead-letters again is not replayed twice. */
    long newestId() {
        Long id = jdbc.queryForObject("SELECT MAX(id) FROM dead_letter", Long.class);
        return id == null ? 0 : id;
    }

    /** Locks and removes one dead letter; empty when there is none with that id. Call in a transaction. */
    Optional<Replayable> takeOne(long id) {
        return take(jdbc.query(SELECT_REPLAYABLE + " WHERE id = ? FOR UPDATE", DeadLetterStore::replayable, id)).stream().findFirst();
    }

    /**
     * Locks and removes up to {@code limit} dead letters, oldest first, with ids above {@code afterId}
     * up to {@code upToId}, of that reason code (any when null). Call in a transaction.
     */
    List<Replayable> takeOldest(String reasonCode, long afterId, long upToId, int limit) {
        String sql = SELECT_REPLAYABLE + " WHERE id > ? AND id <= ?" + (reasonCode == null ? "" : " AND reason_code = ?")
                + " ORDER BY id LIMIT ? FOR UPDATE";
        Object[] args = reasonCode == null ? new Object[] {afterId, upToId, limit} : new Object[] {afterId, upToId, reasonCode, limit};
        return take(jdbc.query(sql, DeadLetterStore::replayable, args));
    }

    /** Removes the locked dead letters; returns those this transaction removed (a concurrent replay may have taken some). */
    private List<Replayable> take(List<Replayable> locked) {
        if (locked.isEmpty()) {
            return locked;
        }
        int[][] counts = jdbc.batchUpdate("DELETE FROM dead_letter WHERE id = ?", locked, locked.size(),
                (ps, letter) -> ps.setLong(1, letter.id()));
        List<Replayable> removed = new ArrayList<>(locked.size());
        int i = 0;
        for (int[] batch : counts) {
            for (int count : batch) {
                if (count != 0) {
                    removed.add(locked.get(i));
                }
                i++;
            }
        }
        return removed;
    }

    private static Replayable replayable(ResultSet rs, int row) throws SQLException {
        String body = rs.getString(4);
        byte[] bytes = "base64".equals(rs.getString(5)) ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        return new Replayable(rs.getLong(1), rs.getString(2), rs.getString(3), bytes);
    }

    public long count() {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM dead_letter", Long.class);
        return count == null ? 0 : count;
    }

    private static String asText(byte[] body) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
            return text.indexOf('\0') >= 0 ? null : text;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
