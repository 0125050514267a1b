package dev.vepconnector.cases;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** {@code /api/cases}: the case records emitted, newest first, and the latest revision of one case. */
@RestController
@RequestMapping("/api/cases")
class CaseRecordController {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    CaseRecordController(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A line of the recent-records list. */
    record RecentRecord(String caseId, int revision, Instant emittedAt, String outcome, String caseType, String closedAt,
                        boolean transcriptMissing) {
    }

    @GetMapping
    List<RecentRecord> recent(@RequestParam(defaultValue = "20") int limit) {
        return jdbc.query("SELECT case_id, revision, emitted_at, record FROM case_record ORDER BY emitted_at DESC, case_id LIMIT ?",
                (rs, n) -> summary(rs.getString(1), rs.getInt(2), rs.getObject(3, OffsetDateTime.class).toInstant(), read(rs.getString(4))),
                Math.max(1, Math.min(limit, 500)));
    }

    @GetMapping("/{caseId}")
    JsonNode latest(@PathVariable String caseId) {
        return jdbc.query("SELECT record FROM case_record WHERE case_id = ? ORDER BY revision DESC LIMIT 1",
                        (rs, n) -> read(rs.getString(1)), caseId).stream().findFirst()
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No record emitted for case " + caseId));
    }

    private static RecentRecord summary(String caseId, int revision, Instant emittedAt, JsonNode record) {
        JsonNode caseType = record.path("caseType");
        String typeName = caseType.hasNonNull("name") ? caseType.get("name").asText() : caseType.path("id").asText(null);
        return new RecentRecord(caseId, revision, emittedAt, record.path("outcome").asText(null), typeName,
                record.path("closedAt").asText(null), record.path("transcriptMissing").asBoolean());
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable stored case record", e);
        }
    }
}
