package dev.vepconnector.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.events.EntityKind;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** The configured_entity table: the durable side of the configuration caches. */
@Repository
class ConfigurationStore {

    private static final String COLUMNS =
            "kind, id, name, display_name, email, assigned_groups, external_ids, last_event_time, updated_at, version";
    private static final TypeReference<List<String>> LIST = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final ObjectMapper json = new ObjectMapper();
    private final RowMapper<Versioned> rowMapper = this::map;

    ConfigurationStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** An entry and the version it was stored with. */
    record Versioned(ConfiguredEntity entity, long version) {
    }

    /**
     * Locks the entity's row for the rest of the transaction, creating it when new, so replicas that
     * merge events for the same entity at the same time take turns instead of losing an update.
     */
    Optional<ConfiguredEntity> lock(EntityKind kind, String id, Instant now) {
        jdbc.update("INSERT INTO configured_entity (kind, id, updated_at, version) VALUES (?, ?, ?, 0) ON CONFLICT DO NOTHING",
                kind.name(), id, now.atOffset(ZoneOffset.UTC));
        List<Versioned> rows = jdbc.query("SELECT " + COLUMNS + " FROM configured_entity WHERE kind = ? AND id = ? FOR UPDATE",
                rowMapper, kind.name(), id);
        return rows.stream().map(Versioned::entity).filter(e -> e.updatedAt() != null && e.lastEventTime() != null).findFirst();
    }

    /** Stores the entry under a new version, which it returns. */
    Versioned save(ConfiguredEntity entity) {
        Long version = jdbc.queryForObject("SELECT nextval('configured_entity_version')", Long.class);
        jdbc.update("""
                        UPDATE configured_entity SET name = ?, display_name = ?, email = ?, assigned_groups = ?, external_ids = ?,
                               last_event_time = ?, updated_at = ?, version = ?
                        WHERE kind = ? AND id = ?""",
                entity.name(), entity.displayName(), entity.email(), write(entity.assignedGroups()), write(entity.externalIds()),
                entity.lastEventTime().atOffset(ZoneOffset.UTC), entity.updatedAt().atOffset(ZoneOffset.UTC), version,
                entity.kind().name(), entity.id());
        return new Versioned(entity, version);
    }

    /** Every stored entry changed after {@code version} (all of them for 0). */
    List<Versioned> changedSince(long version) {
        return jdbc.query("SELECT " + COLUMNS + " FROM configured_entity WHERE version > ? ORDER BY version", rowMapper, version);
    }

    private Versioned map(ResultSet rs, int rowNum) throws SQLException {
        ConfiguredEntity entity = new ConfiguredEntity(EntityKind.valueOf(rs.getString("kind")), rs.getString("id"),
                rs.getString("name"), rs.getString("display_name"), rs.getString("email"),
                read(rs.getString("assigned_groups"), LIST), read(rs.getString("external_ids"), MAP),
                instant(rs, "last_event_time"), instant(rs, "updated_at"));
        return new Versioned(entity, rs.getLong("version"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private String write(Object value) {
        try {
            return value == null ? null : json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return text == null ? null : json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable configured_entity column: " + e.getOriginalMessage(), e);
        }
    }
}
