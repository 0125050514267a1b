package dev.vepconnector.ingest;

import dev.vepconnector.storage.StorageDurability;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The inbox table: messages taken off the broker, stored as received, waiting to be processed. The
 * ingest writer appends, and so does a dead-letter replay; the projector takes the oldest, processes
 * them and removes them in one transaction, so a message is processed exactly once however the
 * process ends.
 */
@Repository
class Inbox {

    private final JdbcTemplate jdbc;
    private final String lockTaken;

    Inbox(JdbcTemplate jdbc, StorageDurability storage) {
        this.jdbc = jdbc;
        // Replicas sharing PostgreSQL each take rows the others have not locked; H2 has one projector.
        this.lockTaken = storage.isShared() ? " FOR UPDATE SKIP LOCKED" : "";
    }

    /** A stored message; {@code replayed} when a dead-letter replay put it here. */
    record Message(long id, String routingKey, byte[] body, Instant receivedAt, boolean replayed) {
    }

    void append(List<InboundMessage> messages) {
        jdbc.batchUpdate("INSERT INTO inbox (routing_key, received_at, body) VALUES (?, ?, ?)", messages, messages.size(),
                (ps, message) -> {
                    ps.setString(1, message.routingKey());
                    ps.setObject(2, message.receivedAt().atOffset(ZoneOffset.UTC));
                    ps.setBytes(3, message.body());
                });
    }

    /** Dead letters put back to be processed as if they had arrived at {@code receivedAt}, in the order given. */
    void appendReplayed(List<DeadLetterStore.Replayable> letters, Instant receivedAt) {
        jdbc.batchUpdate("INSERT INTO inbox (routing_key, received_at, body, replayed) VALUES (?, ?, ?, TRUE)", letters, letters.size(),
                (ps, letter) -> {
                    ps.setString(1, letter.routingKey());
                    ps.setObject(2, receivedAt.atOffset(ZoneOffset.UTC));
                    ps.setBytes(3, letter.body());
                });
    }

    /** When the oldest message still waiting to be processed was received; null when none waits. */
    Instant oldestReceivedAt() {
        // By id, the primary key, rather than MIN(received_at): no scan of a long inbox, and ids follow receipt.
        return jdbc.query("SELECT received_at FROM inbox ORDER BY id LIMIT 1",
                rs -> rs.next() ? rs.getObject(1, OffsetDateTime.class).toInstant() : null);
    }

    /** The oldest stored messages, locked for this transaction where replicas share the inbox. Call in a transaction. */
    List<Message> take(int limit) {
        return jdbc.query("SELECT id, routing_key, body, received_at, replayed FROM inbox ORDER BY id LIMIT ?" + lockTaken,
                (rs, n) -> new Message(rs.getLong(1), rs.getString(2), rs.getBytes(3), rs.getObject(4, OffsetDateTime.class).toInstant(),
                        rs.getBoolean(5)),
                limit);
    }

    /** Locks one message for this transaction; false if it is gone (processed already, by another replica too). */
    boolean lock(long id) {
        return !jdbc.queryForList("SELECT id FROM inbox WHERE id = ? FOR UPDATE", Long.class, id).isEmpty();
    }

    void remove(List<Message> processed) {
        jdbc.batchUpdate("DELETE FROM inbox WHERE id = ?", processed, processed.size(), (ps, message) -> ps.setLong(1, message.id()));
    }

    /** Messages stored and not yet processed. */
    long count() {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM inbox", Long.class);
        return count == null ? 0 : count;
    }
}
