package dev.vepconnector.cases;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vepconnector.config.EntityDirectory;
import dev.vepconnector.events.CaseEvent;
import dev.vepconnector.events.ReadResult;
import dev.vepconnector.events.VepEventReader;
import dev.vepconnector.events.VepEventType;
import dev.vepconnector.ingest.EventLog;
import dev.vepconnector.ingest.TemporarilyUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Emits a revision of a case record: builds it from the case's stored events, keeps it, and hands it
 * to the case-records route ({@code routes/case-records.yaml}), which queues it for the sinks. All of
 * it happens in the caller's transaction, so a revision is emitted exactly when its state commits.
 */
@Component
public class CaseRecordEmitter {

    /** The route every emitted record goes through on its way to the sinks. */
    public static final String ROUTE = "direct:case-record";
    public static final String HEADER_CASE_ID = "vepCaseId";
    public static final String HEADER_REVISION = "vepRevision";
    public static final String HEADER_OUTCOME = "vepOutcome";
    public static final String HEADER_CASE_TYPE = "vepCaseType";
    public static final String HEADER_CASE_TYPE_ID = "vepCaseTypeId";

    private static final Logger log = LoggerFactory.getLogger(CaseRecordEmitter.class);
    private static final List<String> CASE_ROUTING_KEYS = Arrays.stream(VepEventType.values())
            .filter(VepEventType::isCaseEvent).map(VepEventType::routingKey).toList();

    private final EventLog eventLog;
    private final JdbcTemplate jdbc;
    private final ProducerTemplate camel;
    private final ObjectMapper json;
    private final CaseRecordBuilder builder;
    private final VepEventReader reader = new VepEventReader();

    CaseRecordEmitter(EventLog eventLog, JdbcTemplate jdbc, ProducerTemplate camel, ObjectMapper json, EntityDirectory directory) {
        this.eventLog = eventLog;
        this.jdbc = jdbc;
        this.camel = camel;
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
        ObjectNode record = builder.build(caseId, revision, events, transcriptMissing);
        String text = write(record);
        jdbc.update("INSERT INTO case_record (case_id, revision, record, emitted_at) VALUES (?, ?, ?, ?)",
                caseId, revision, text, now.atOffset(ZoneOffset.UTC));
        if (!camel.getCamelContext().isStarted()) {
            throw new TemporarilyUnavailableException("The case-records route is not running (the application is starting or stopping)", null);
        }
        Exchange result = camel.send(ROUTE, exchange -> {
            exchange.getMessage().setBody(text);
            exchange.getMessage().setHeaders(headers(record));
        });
        if (result.getException() != null) {
            if (!camel.getCamelContext().isStarted()) {
                throw new TemporarilyUnavailableException("The case-records route stopped", result.getException());
            }
            throw new IllegalStateException("The case-records route failed for case " + caseId + " revision " + revision
                    + ": " + result.getException().getMessage(), result.getException());
        }
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

    private static Map<String, Object> headers(ObjectNode record) {
        Map<String, Object> headers = new java.util.HashMap<>();
        headers.put(HEADER_CASE_ID, record.get("caseId").asText());
        headers.put(HEADER_REVISION, record.get("revision").asInt());
        headers.put(HEADER_OUTCOME, record.get("outcome").asText());
        if (record.has("caseType")) {
            headers.put(HEADER_CASE_TYPE_ID, record.get("caseType").get("id").asText());
            if (record.get("caseType").has("name")) {
                headers.put(HEADER_CASE_TYPE, record.get("caseType").get("name").asText());
            }
        }
        headers.put(Exchange.CONTENT_TYPE, "application/json");
        return headers;
    }

    private String write(ObjectNode record) {
        try {
            return json.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
