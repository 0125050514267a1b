package dev.vepconnector.cases;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vepconnector.config.EntityDirectory;
import dev.vepconnector.events.CaseEvent;
import dev.vepconnector.events.ReadResult;
import dev.vepconnector.events.VepEventReader;
import dev.vepconnector.events.VepEventType;
import dev.vepconnector.sinks.CaseRecordOutbox;
import dev.vepconnector.ingest.EventLog;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Emits a revision of a case record: builds it from the case's stored events, keeps it, and queues it
 * for the sinks. All of it happens in the caller's transaction, so a revision is emitted exactly when
 * its state commits.
 */
@Component
public class CaseRecordEmitter {

    private static final Logger log = LoggerFactory.getLogger(CaseRecordEmitter.class);
    private static final List<String> CASE_ROUTING_KEYS = VepEventType.caseRoutingKeys();

    private final EventLog eventLog;
    private final JdbcTemplate jdbc;
    private final CaseRecordOutbox outbox;
    private final ObjectMapper json;
    private final CaseRecordBuilder builder;
    private final VepEventReader reader = new VepEventReader();

    CaseRecordEmitter(EventLog eventLog, JdbcTemplate jdbc, CaseRecordOutbox outbox, ObjectMapper json, EntityDirectory directory) {
        this.eventLog = eventLog;
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.json = json;
        this.builder = new CaseRecordBuilder(json, directory);
    }

    /**
     * Emits the revision, built from the case's events as stored in the event log. (They are read back
     * rather than kept in memory: at a thousand events a second, an in-memory cache of open cases' events
     * made the heap's old generation fill every half minute, and each full collection paused the
     * connector for 150-250 ms; reading them back is as fast on both databases.)
     */
    void emit(String caseId, int revision, boolean transcriptMissing, Instant now) {
        List<CaseEvent> events = eventsOf(caseId);
        ObjectNode record = builder.build(caseId, revision, events, transcriptMissing, latestKeptRevisionIfPurged(caseId));
        jdbc.update("INSERT INTO case_record (case_id, revision, record, emitted_at) VALUES (?, ?, ?, ?)",
                caseId, revision, write(record), now.atOffset(ZoneOffset.UTC));
        outbox.enqueue(caseId, revision);
        log.debug("Emitted case {} revision {}", caseId, revision);
    }

    private List<CaseEvent> eventsOf(String caseId) {
        List<CaseEvent> events = new ArrayList<>();
        for (EventLog.StoredBody stored : eventLog.bodiesOf(caseId, CASE_ROUTING_KEYS)) {
            ReadResult read = reader.read(stored.routingKey(), stored.body().getBytes(StandardCharsets.UTF_8), stored.receivedAt());
            if (read instanceof ReadResult.Accepted accepted && accepted.event() instanceof CaseEvent event) {
                events.add(event);
            }
        }
        return List.copyOf(events);
    }

    /**
     * The latest kept revision of a case whose earlier events the retention purge removed (null when none
     * were removed, or no revision is kept): what its next revision builds on.
     */
    private JsonNode latestKeptRevisionIfPurged(String caseId) {
        List<String> kept = jdbc.queryForList("""
                SELECT r.record FROM case_state s JOIN case_record r ON r.case_id = s.case_id
                WHERE s.case_id = ? AND s.events_purged_at IS NOT NULL ORDER BY r.revision DESC LIMIT 1""", String.class, caseId);
        if (kept.isEmpty()) {
            return null;
        }
        try {
            return json.readTree(kept.get(0));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The stored revision of case " + caseId + " is not JSON", e);
        }
    }

    private String write(ObjectNode record) {
        try {
            return json.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
