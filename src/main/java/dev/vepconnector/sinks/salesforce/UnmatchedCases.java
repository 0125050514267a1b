package dev.vepconnector.sinks.salesforce;

import dev.vepconnector.privacy.ErasableCaseData;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/**
 * The Salesforce sink's unmatched cases (table salesforce_unmatched_case): delivered without a Contact though
 * the visitor gave something to find one by. A revision only replaces what an earlier or the same revision
 * noted, so a record sent again later (a replay, a backfill) never brings back a case a later revision
 * linked. Not conditional on the sink: an erased case leaves no row even after the sink was switched off.
 */
@Repository
class UnmatchedCases implements ErasableCaseData {

    private static final int MAX_CANDIDATES = 20;

    private final JdbcTemplate jdbc;

    UnmatchedCases(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One case an admin has to link by hand, as the API lists it. */
    record UnmatchedCase(String caseId, int revision, String outcome, String matchedBy, List<String> candidates,
                         String salesforceCaseId, Instant notedAt) {
    }

    void note(String caseId, int revision, String outcome, String matchedBy, List<String> candidates, String salesforceCaseId, Instant at) {
        String ids = String.join(",", candidates.subList(0, Math.min(candidates.size(), MAX_CANDIDATES)));
        OffsetDateTime noted = at.atOffset(ZoneOffset.UTC);
        jdbc.update("""
                INSERT INTO salesforce_unmatched_case (case_id, revision, outcome, matched_by, candidates, salesforce_case_id, noted_at)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""", caseId, revision, outcome, matchedBy, ids, salesforceCaseId, noted);
        jdbc.update("""
                UPDATE salesforce_unmatched_case SET revision = ?, outcome = ?, matched_by = ?, candidates = ?, salesforce_case_id = ?, noted_at = ?
                WHERE case_id = ? AND revision <= ?""", revision, outcome, matchedBy, ids, salesforceCaseId, noted, caseId, revision);
    }

    /** The case was linked by this revision: no longer for an admin to do (unless a later revision said otherwise). */
    void linked(String caseId, int revision) {
        jdbc.update("DELETE FROM salesforce_unmatched_case WHERE case_id = ? AND revision <= ?", caseId, revision);
    }

    /** An admin dealt with it; false when it was not listed. */
    boolean remove(String caseId) {
        return jdbc.update("DELETE FROM salesforce_unmatched_case WHERE case_id = ?", caseId) > 0;
    }

    @Override
    public int eraseCase(String caseId) {
        return jdbc.update("DELETE FROM salesforce_unmatched_case WHERE case_id = ?", caseId);
    }

    /** Oldest first: a list to work through. */
    List<UnmatchedCase> list(String outcome, int limit) {
        String select = "SELECT case_id, revision, outcome, matched_by, candidates, salesforce_case_id, noted_at FROM salesforce_unmatched_case";
        String order = " ORDER BY noted_at, case_id LIMIT ?";
        RowMapper<UnmatchedCase> rows = (rs, row) -> new UnmatchedCase(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                rs.getString(5) == null || rs.getString(5).isEmpty() ? List.of() : Arrays.asList(rs.getString(5).split(",")),
                rs.getString(6), rs.getObject(7, OffsetDateTime.class).toInstant());
        return outcome == null ? jdbc.query(select + order, rows, limit) : jdbc.query(select + " WHERE outcome = ?" + order, rows, outcome, limit);
    }

    long count() {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM salesforce_unmatched_case", Long.class);
        return count == null ? 0 : count;
    }
}
