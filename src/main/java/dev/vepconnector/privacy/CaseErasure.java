package dev.vepconnector.privacy;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.events.VepEventType;
import dev.vepconnector.sinks.CaseRecordOutbox;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Erases cases on request (GDPR art. 17): a case's stored events, record revisions, sink deliveries and
 * dead letters, its rejected messages and what other parts keep of it ({@link ErasableCaseData}: the Salesforce
 * sink's list of unmatched cases), in one transaction on the shared database (so on every
 * replica at once); sinks that take erasure notices are told through their routes (the file sink
 * deletes its file, the webhook posts the notice). The case's id is kept, and nothing else, so its
 * events still on their way are not stored again. One audit line per erasure ({@code vep.audit}): the
 * case ids, who asked, when; never the personal data that found them.
 */
@Component
public class CaseErasure {

    private static final Logger audit = LoggerFactory.getLogger("vep.audit");
    private static final List<String> CASE_ROUTING_KEYS = VepEventType.caseRoutingKeys();

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final CaseRecordOutbox outbox;
    private final ErasedCases erased;
    private final Clock clock;
    private final ObjectProvider<ErasableCaseData> otherData;
    private final Counter erasures;
    private final ObjectMapper json = new ObjectMapper();

    CaseErasure(JdbcTemplate jdbc, TransactionTemplate transaction, CaseRecordOutbox outbox, ErasedCases erased, Clock clock,
                MeterRegistry registry, ObjectProvider<ErasableCaseData> otherData) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.outbox = outbox;
        this.erased = erased;
        this.clock = clock;
        this.otherData = otherData;
        this.erasures = Counter.builder("vep.privacy.erasures").description("Cases erased on request").register(registry);
    }

    /** What an erasure removed. */
    public record Erased(List<String> caseIds, int events, int revisions, int rejectedMessages, List<String> sinksTold) {
    }

    /** Erases the case; empty when the connector holds nothing of it. */
    public Optional<Erased> eraseCase(String caseId, String requestedBy) {
        if (!isKnown(caseId)) {
            return Optional.empty();
        }
        return Optional.of(erase(List.of(caseId), requestedBy, "case " + caseId));
    }

    /** Erases every case whose visitor profile has one of these values under its key (none: nothing is erased). */
    public Erased eraseByVisitorProfile(Map<String, String> keysAndValues, String requestedBy) {
        Set<String> caseIds = new TreeSet<>();
        keysAndValues.forEach((key, value) -> caseIds.addAll(casesWithProfileValue(key, value)));
        return erase(List.copyOf(caseIds), requestedBy, "visitor profile keys " + new TreeSet<>(keysAndValues.keySet()));
    }

    private Erased erase(List<String> caseIds, String requestedBy, String request) {
        if (caseIds.isEmpty()) {
            audit.info("Erasure requested by {} ({}): no case matched, nothing erased", requestedBy, request);
            return new Erased(List.of(), 0, 0, 0, List.of());
        }
        Erased done = transaction.execute(status -> {
            int events = 0;
            int revisions = 0;
            int rejected = 0;
            Set<String> told = new LinkedHashSet<>();
            Instant now = clock.instant();
            for (String caseId : caseIds) {
                // Taken first, as aggregation takes it: the case's progress cannot change under the erasure.
                jdbc.queryForList("SELECT case_id FROM case_state WHERE case_id = ? FOR UPDATE", String.class, caseId);
                events += deleteEvents(caseId);
                revisions += jdbc.update("DELETE FROM case_record WHERE case_id = ?", caseId);
                jdbc.update("DELETE FROM case_state WHERE case_id = ?", caseId);
                rejected += jdbc.update("DELETE FROM dead_letter WHERE body LIKE ? ESCAPE '!'", "%\"" + likeEscaped(jsonEscaped(caseId)) + "\"%");
                told.addAll(outbox.erase(caseId));
                otherData.orderedStream().forEach(data -> data.eraseCase(caseId));
                erased.add(caseId, now);
            }
            return new Erased(caseIds, events, revisions, rejected, List.copyOf(told));
        });
        erasures.increment(caseIds.size());
        audit.info("Erased {} case(s) {} at the request of {} ({}): {} events, {} record revisions, {} rejected messages removed; "
                + "sinks told: {}", caseIds.size(), caseIds, requestedBy, request, done.events(), done.revisions(), done.rejectedMessages(),
                done.sinksTold().isEmpty() ? "none" : done.sinksTold());
        return done;
    }

    private int deleteEvents(String caseId) {
        String in = String.join(",", Collections.nCopies(CASE_ROUTING_KEYS.size(), "?"));
        List<Object> args = new ArrayList<>();
        args.add(caseId);
        args.addAll(CASE_ROUTING_KEYS);
        return jdbc.update("DELETE FROM event_log WHERE entity_id = ? AND routing_key IN (" + in + ")", args.toArray());
    }

    private boolean isKnown(String caseId) {
        Long known = jdbc.queryForObject("""
                SELECT (SELECT COUNT(*) FROM case_state WHERE case_id = ?) + (SELECT COUNT(*) FROM case_record WHERE case_id = ?)
                     + (SELECT COUNT(*) FROM sink_delivery WHERE case_id = ? AND erasure = FALSE)""", Long.class, caseId, caseId, caseId);
        return known != null && known > 0;
    }

    /**
     * Cases with a stored visitor profile that has exactly this value under this key: in their events or,
     * where the retention purge removed those, in their kept record revisions.
     */
    private Set<String> casesWithProfileValue(String key, String value) {
        Set<String> found = new TreeSet<>();
        String pattern = "%" + likeEscaped(jsonEscaped(value)) + "%";
        jdbc.query("SELECT entity_id, body FROM event_log WHERE routing_key = ? AND body LIKE ? ESCAPE '!'", rs -> {
            if (hasValue(rs.getString(2), "profile", key, value)) {
                found.add(rs.getString(1));
            }
        }, VepEventType.CASE_VISITOR_PROFILE.routingKey(), pattern);
        jdbc.query("SELECT case_id, record FROM case_record WHERE record LIKE ? ESCAPE '!'", rs -> {
            if (hasValue(rs.getString(2), "visitorProfile", key, value)) {
                found.add(rs.getString(1));
            }
        }, pattern);
        return found;
    }

    private boolean hasValue(String body, String profileField, String key, String value) {
        try {
            JsonNode profile = json.readTree(body).path(profileField).path(key);
            return profile.isValueNode() && value.equals(profile.asText());
        } catch (IOException e) {
            return false;
        }
    }

    private static String jsonEscaped(String text) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(text));
    }

    private static String likeEscaped(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
