package dev.vepconnector.monitoring;

import java.sql.PreparedStatement;
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

/** The group_state table; versions let replicas pick up each other's changes. */
@Repository
class GroupStateStore {

    private static final String[] FIGURES = {"available_agents", "visitors_in_queue", "visitors_in_conversation",
            "average_waiting_time", "longest_waiting_time"};

    private final JdbcTemplate jdbc;

    GroupStateStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    record Versioned(GroupState state, long version) {
    }

    /** Locks the groups' rows (creating new ones) in id order for the rest of the transaction. */
    Map<String, GroupState> lock(List<String> sortedIds, Instant now) {
        Map<String, GroupState> states = selectForUpdate(sortedIds);
        List<String> missing = sortedIds.stream().filter(id -> !states.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO group_state (group_id, events, updated_at, version) VALUES (?, 0, ?, 0) ON CONFLICT DO NOTHING",
                    missing, 500, (ps, id) -> {
                        ps.setString(1, id);
                        ps.setObject(2, now.atOffset(ZoneOffset.UTC));
                    });
            states.putAll(selectForUpdate(missing));
        }
        return states;
    }

    private Map<String, GroupState> selectForUpdate(List<String> sortedIds) {
        String in = String.join(",", Collections.nCopies(sortedIds.size(), "?"));
        Map<String, GroupState> states = new HashMap<>();
        jdbc.query("SELECT * FROM group_state WHERE group_id IN (" + in + ") ORDER BY group_id FOR UPDATE",
                rs -> {
                    states.put(rs.getString("group_id"), map(rs));
                }, sortedIds.toArray());
        return states;
    }

    /** Stores the states under new versions and returns them so. */
    List<Versioned> save(List<GroupState> states) {
        List<Versioned> saved = new java.util.ArrayList<>();
        for (GroupState state : states) {
            Long version = jdbc.queryForObject("SELECT nextval('group_state_version')", Long.class);
            jdbc.update(con -> {
                PreparedStatement ps = con.prepareStatement("""
                        UPDATE group_state SET available_agents = ?, available_agents_at = ?, visitors_in_queue = ?,
                               visitors_in_queue_at = ?, visitors_in_conversation = ?, visitors_in_conversation_at = ?,
                               average_waiting_time = ?, average_waiting_time_at = ?, longest_waiting_time = ?,
                               longest_waiting_time_at = ?, events = ?, updated_at = ?, version = ?
                        WHERE group_id = ?""");
                GroupState.Measure[] measures = {state.availableAgents(), state.visitorsInQueue(), state.visitorsInConversation(),
                        state.averageWaitingTime(), state.longestWaitingTime()};
                int i = 1;
                for (GroupState.Measure m : measures) {
                    ps.setObject(i++, m.value());
                    ps.setObject(i++, m.at() == null ? null : m.at().atOffset(ZoneOffset.UTC));
                }
                ps.setLong(i++, state.events());
                ps.setObject(i++, state.updatedAt().atOffset(ZoneOffset.UTC));
                ps.setLong(i++, version);
                ps.setString(i, state.groupId());
                return ps;
            });
            saved.add(new Versioned(state, version));
        }
        return saved;
    }

    /** The group's state as committed now, or empty when it has none. */
    java.util.Optional<GroupState> find(String groupId) {
        return jdbc.query("SELECT * FROM group_state WHERE group_id = ?", (rs, n) -> map(rs), groupId).stream().findFirst();
    }

    List<Versioned> changedSince(long version) {
        return jdbc.query("SELECT * FROM group_state WHERE version > ? ORDER BY version",
                (rs, n) -> new Versioned(map(rs), rs.getLong("version")), version);
    }

    private static GroupState map(ResultSet rs) throws SQLException {
        GroupState.Measure[] m = new GroupState.Measure[FIGURES.length];
        for (int i = 0; i < FIGURES.length; i++) {
            long value = rs.getLong(FIGURES[i]);
            Long boxed = rs.wasNull() ? null : value;
            OffsetDateTime at = rs.getObject(FIGURES[i] + "_at", OffsetDateTime.class);
            m[i] = new GroupState.Measure(boxed, at == null ? null : at.toInstant());
        }
        OffsetDateTime updated = rs.getObject("updated_at", OffsetDateTime.class);
        return new GroupState(rs.getString("group_id"), m[0], m[1], m[2], m[3], m[4], rs.getLong("events"),
                updated == null ? null : updated.toInstant());
    }
}
