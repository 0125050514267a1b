package dev.vepconnector.ingest;

import dev.vepconnector.events.RejectReason;
import dev.vepconnector.storage.Hashing;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Messages the connector could not accept, kept with their routing key, the reason and the body as
 * received. A body that is not UTF-8 text (or holds NUL, which PostgreSQL text cannot) is kept in
 * base64 so not a byte is lost. The same message dead-lettered twice (a redelivery) is kept once.
 */
@Repository
public class DeadLetterStore {

    private static final String INSERT = """
            INSERT INTO dead_letter (dedup_key, routing_key, reason_code, reason, received_at, body, body_encoding)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";

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
