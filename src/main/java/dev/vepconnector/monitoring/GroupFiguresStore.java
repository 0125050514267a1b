package dev.vepconnector.monitoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The case_figures, group_figures and group_status tables (V16). */
@Repository
class GroupFiguresStore {

    private static final TypeReference<List<CaseStep>> STEPS = new TypeReference<>() {
    };
    private static final String COUNTS = "answered, answered_within_target, speed_of_answer_ms, handled, assignments_ended, handle_time_ms, "
            + "transfers_in, transfers_out, positive, negative, neutral, unresolved";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json = new ObjectMapper();

    GroupFiguresStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The cases' steps so far, their rows locked (created where new) in id order for the rest of the transaction. */
    Map<String, List<CaseStep>> lockCases(List<String> sortedIds, Instant now) {
        Map<String, List<CaseStep>> steps = selectForUpdate(sortedIds);
        List<String> missing = sortedIds.stream().filter(id -> !steps.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO case_figures (case_id, steps, updated_at) VALUES (?, '[]', ?) ON CONFLICT DO NOTHING",
                    missing, 500, (ps, id) -> {
                        ps.setString(1, id);
                        ps.setObject(2, utc(now));
                    });
            steps.putAll(selectForUpdate(missing));
        }
        return steps;
    }

    private Map<String, List<CaseStep>> selectForUpdate(List<String> sortedIds) {
        Map<String, List<CaseStep>> steps = new HashMap<>();
        for (List<String> chunk : chunks(sortedIds)) {
            String in = String.join(",", Collections.nCopies(chunk.size(), "?"));
            jdbc.query("SELECT case_id, steps FROM case_figures WHERE case_id IN (" + in + ") ORDER BY case_id FOR UPDATE",
                    rs -> {
                        steps.put(rs.getString("case_id"), read(rs.getString("steps")));
                    }, chunk.toArray());
        }
        return steps;
    }

    void saveCases(Map<String, List<CaseStep>> steps, Instant now) {
        List<Map.Entry<String, List<CaseStep>>> rows = new ArrayList<>(steps.entrySet());
        jdbc.batchUpdate("UPDATE case_figures SET steps = ?, updated_at = ? WHERE case_id = ?", rows, 500, (ps, row) -> {
            ps.setString(1, write(row.getValue()));
            ps.setObject(2, utc(now));
            ps.setString(3, row.getKey());
        });
    }

    /** Adds to the minutes' counts, in key order (so that concurrent transactions take the rows' locks in one order). */
    void add(List<Map.Entry<CaseFigures.Key, FigureCounts>> sortedDeltas) {
        if (sortedDeltas.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("INSERT INTO group_figures (group_id, minute_start) VALUES (?, ?) ON CONFLICT DO NOTHING", sortedDeltas, 500,
                (ps, delta) -> {
                    ps.setString(1, delta.getKey().groupId());
                    ps.setObject(2, utc(delta.getKey().minute()));
                });
        jdbc.batchUpdate("""
                UPDATE group_figures SET answered = answered + ?, answered_within_target = answered_within_target + ?,
                       speed_of_answer_ms = speed_of_answer_ms + ?, handled = handled + ?, assignments_ended = assignments_ended + ?,
                       handle_time_ms = handle_time_ms + ?, transfers_in = transfers_in + ?, transfers_out = transfers_out + ?,
                       positive = positive + ?, negative = negative + ?, neutral = neutral + ?, unresolved = unresolved + ?
                WHERE group_id = ? AND minute_start = ?""", sortedDeltas, 500, (ps, delta) -> {
            FigureCounts c = delta.getValue();
            long[] values = {c.answered(), c.answeredWithinTarget(), c.speedOfAnswerMs(), c.handled(), c.assignmentsEnded(),
                    c.handleTimeMs(), c.transfersIn(), c.transfersOut(), c.positive(), c.negative(), c.neutral(), c.unresolved()};
            for (int i = 0; i < values.length; i++) {
                ps.setLong(i + 1, values[i]);
            }
            ps.setString(values.length + 1, delta.getKey().groupId());
            ps.setObject(values.length + 2, utc(delta.getKey().minute()));
        });
    }

    /** Each group's counts added up over the minutes from {@code from} on. */
    Map<String, FigureCounts> since(Instant from) {
        return since(from, null);
    }

    /** The same for one group (all when null). */
    Map<String, FigureCounts> since(Instant from, String groupId) {
        Map<String, FigureCounts> sums = new HashMap<>();
        StringBuilder select = new StringBuilder("SELECT group_id");
        for (String column : COUNTS.split(", ")) {
            select.append(", SUM(").append(column).append(") AS ").append(column);
        }
        String where = groupId == null ? " WHERE minute_start >= ?" : " WHERE minute_start >= ? AND group_id = ?";
        Object[] args = groupId == null ? new Object[] {utc(from)} : new Object[] {utc(from), groupId};
        jdbc.query(select + " FROM group_figures" + where + " GROUP BY group_id", rs -> {
            sums.put(rs.getString("group_id"), counts(rs));
        }, args);
        return sums;
    }

    /** Removes minutes and cases older than {@code before}; returns the rows removed. */
    int purge(Instant before) {
        return jdbc.update("DELETE FROM group_figures WHERE minute_start < ?", utc(before))
                + jdbc.update("DELETE FROM case_figures WHERE updated_at < ?", utc(before));
    }

    /**
     * The status last recorded for the group (ok when none was), its row locked until commit: replicas
     * recording a change of the same group take turns.
     */
    String lockStatus(String groupId, Instant now) {
        jdbc.update("INSERT INTO group_status (group_id, status, changed_at) VALUES (?, 'ok', ?) ON CONFLICT DO NOTHING",
                groupId, utc(now));
        return jdbc.queryForObject("SELECT status FROM group_status WHERE group_id = ? FOR UPDATE", String.class, groupId);
    }

    void recordStatus(String groupId, String status, String reasons, Instant now) {
        jdbc.update("UPDATE group_status SET status = ?, reasons = ?, changed_at = ? WHERE group_id = ?", status, reasons, utc(now), groupId);
    }

    /** The group's configured name as committed now (the configuration cache may be a refresh behind), or null. */
    String committedGroupName(String groupId) {
        return jdbc.query("SELECT name FROM configured_entity WHERE kind = 'GROUP' AND id = ?", (rs, n) -> rs.getString(1), groupId)
                .stream().filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    private static FigureCounts counts(ResultSet rs) throws SQLException {
        return new FigureCounts(rs.getLong("answered"), rs.getLong("answered_within_target"), rs.getLong("speed_of_answer_ms"),
                rs.getLong("handled"), rs.getLong("assignments_ended"), rs.getLong("handle_time_ms"), rs.getLong("transfers_in"),
                rs.getLong("transfers_out"), rs.getLong("positive"), rs.getLong("negative"), rs.getLong("neutral"), rs.getLong("unresolved"));
    }

    private List<CaseStep> read(String steps) {
        try {
            return new ArrayList<>(json.readValue(steps, STEPS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable case_figures.steps", e);
        }
    }

    private String write(List<CaseStep> steps) {
        try {
            return json.writeValueAsString(steps);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<List<String>> chunks(List<String> ids) {
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += 500) {
            chunks.add(ids.subList(i, Math.min(ids.size(), i + 500)));
        }
        return chunks;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
