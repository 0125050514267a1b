package dev.vepconnector.ingest;

import dev.vepconnector.events.ReadResult;
import dev.vepconnector.storage.Hashing;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The durable record of every valid event; a duplicate (same type, same content) is stored once. */
@Repository
public class EventLog {

    private static final String INSERT = """
            INSERT INTO event_log (dedup_key, routing_key, entity_id, event_time, received_at, body)
            VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";

    private final JdbcTemplate jdbc;

    public EventLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    record Entry(ReadResult.Accepted accepted, String dedupKey, Instant receivedAt) {
    }

    /** Same type and same content (key order and spacing aside): the same event. */
    static String dedupKey(ReadResult.Accepted accepted) {
        return Hashing.sha256Hex(accepted.event().type().routingKey() + "\n" + accepted.canonicalJson());
    }

    /** Inserts the entries; the result says, per entry, whether it was new (false: a duplicate). */
    boolean[] insert(List<Entry> entries) {
        int[][] counts = jdbc.batchUpdate(INSERT, entries, entries.size(), (ps, entry) -> bind(ps, entry));
        boolean[] inserted = new boolean[entries.size()];
        int i = 0;
        for (int[] batch : counts) {
            for (int count : batch) {
                inserted[i++] = count != 0;
            }
        }
        return inserted;
    }

    private static void bind(PreparedStatement ps, Entry entry) throws SQLException {
        var event = entry.accepted().event();
        ps.setString(1, entry.dedupKey());
        ps.setString(2, event.type().routingKey());
        ps.setString(3, event.entityId());
        ps.setObject(4, event.eventTime().atOffset(ZoneOffset.UTC));
        ps.setObject(5, entry.receivedAt().atOffset(ZoneOffset.UTC));
        ps.setString(6, entry.accepted().canonicalJson());
    }

    /** How many events of this routing key are stored (all of them when null). */
    public long count(String routingKey) {
        Long count = routingKey == null
                ? jdbc.queryForObject("SELECT COUNT(*) FROM event_log", Long.class)
                : jdbc.queryForObject("SELECT COUNT(*) FROM event_log WHERE routing_key = ?", Long.class, routingKey);
        return count == null ? 0 : count;
    }

    /** The stored bodies of an entity's events of the given routing keys, oldest event first. */
    public List<StoredBody> bodiesOf(String entityId, List<String> routingKeys) {
        String in = String.join(",", java.util.Collections.nCopies(routingKeys.size(), "?"));
        Object[] args = new Object[routingKeys.size() + 1];
        args[0] = entityId;
        for (int i = 0; i < routingKeys.size(); i++) {
            args[i + 1] = routingKeys.get(i);
        }
        return jdbc.query("SELECT routing_key, body, received_at FROM event_log WHERE entity_id = ? AND routing_key IN (" + in
                        + ") ORDER BY event_time, id",
                (rs, n) -> new StoredBody(rs.getString(1), rs.getString(2), rs.getObject(3, java.time.OffsetDateTime.class).toInstant()),
                args);
    }

    public record StoredBody(String routingKey, String body, Instant receivedAt) {
    }

}
