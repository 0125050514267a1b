package dev.vepconnector.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vepconnector.config.AgentRef;
import dev.vepconnector.config.EntityDirectory;
import dev.vepconnector.events.CaseClosed;
import dev.vepconnector.events.CaseCreated;
import dev.vepconnector.events.CaseEvent;
import dev.vepconnector.events.CaseOpened;
import dev.vepconnector.events.CaseTranscriptClosed;
import dev.vepconnector.events.CaseTransferredToGroup;
import dev.vepconnector.events.CaseVisitorProfile;
import dev.vepconnector.events.EntityKind;
import dev.vepconnector.events.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;

/**
 * Builds the case record (contracts/case-record.md, schemaVersion 1) from every event of a case, in
 * eventTime order, resolving ids through the configuration caches as they are now.
 */
public final class CaseRecordBuilder {

    public static final int SCHEMA_VERSION = 1;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final ObjectMapper json;
    private final EntityDirectory directory;

    public CaseRecordBuilder(ObjectMapper json, EntityDirectory directory) {
        this.json = json;
        this.directory = directory;
    }

    /**
     * @param events every stored event of the case (any order; sorted here by eventTime, stable for ties)
     */
    public ObjectNode build(String caseId, int revision, List<CaseEvent> events, boolean transcriptMissing) {
        return build(caseId, revision, events, transcriptMissing, null);
    }

    /**
     * Builds the record of a case whose earlier events were purged (retention) on its latest kept
     * revision: what that revision says, followed by what the events that came since add or change.
     *
     * @param events  the case's events stored since its earlier events were purged
     * @param earlier the latest kept revision of the record; null when there is none (then the record
     *                holds only what these events say)
     */
    public ObjectNode build(String caseId, int revision, List<CaseEvent> events, boolean transcriptMissing, JsonNode earlier) {
        List<CaseEvent> ordered = events.stream().sorted(Comparator.comparing(CaseEvent::eventTime)).toList();
        JsonNode before = earlier == null ? json.createObjectNode() : earlier;
        ObjectNode record = json.createObjectNode();
        record.put("schemaVersion", SCHEMA_VERSION);
        record.put("caseId", caseId);
        record.put("revision", revision);
        addCreation(record, ordered, before);
        addClosure(record, ordered, before);
        addAssignments(record, ordered, before);
        addTransfers(record, ordered, before);
        addVisitorProfile(record, ordered, before);
        addTranscript(record, ordered, transcriptMissing, before);
        addHandleTime(record, ordered, before);
        ArrayNode trail = record.putArray("events");
        before.path("events").forEach(event -> trail.add(event.deepCopy()));
        for (CaseEvent event : ordered) {
            trail.addObject().put("type", event.type().routingKey()).put("eventTime", time(event.eventTime()));
        }
        return record;
    }

    private void addCreation(ObjectNode record, List<CaseEvent> ordered, JsonNode before) {
        if (before.hasNonNull("createdAt")) {
            record.put("createdAt", before.get("createdAt").asText());
        }
        String opportunity = idOf(before, "opportunity");
        String solution = idOf(before, "solution");
        String caseType = idOf(before, "caseType");
        for (CaseEvent event : ordered) {
            if (event instanceof CaseCreated created) {
                if (!record.has("createdAt")) {
                    record.put("createdAt", time(created.eventTime()));
                }
                opportunity = orKept(created.opportunityId(), opportunity);
                solution = orKept(created.solutionId(), solution);
                caseType = orKept(created.caseTypeId(), caseType);
            }
        }
        putRef(record, "opportunity", EntityKind.OPPORTUNITY, opportunity);
        putRef(record, "solution", EntityKind.SOLUTION, solution);
        putRef(record, "caseType", EntityKind.CASE_TYPE, caseType);
    }

    /** The latest close decides; an outcome or closure it leaves out (content deduplication) is the previous one's. */
    private void addClosure(ObjectNode record, List<CaseEvent> ordered, JsonNode before) {
        CaseClosed latest = null;
        Outcome outcome = before.hasNonNull("outcome") ? Outcome.fromWireName(before.get("outcome").asText()) : null;
        String closure = before.hasNonNull("closure") ? before.get("closure").asText() : null;
        for (CaseEvent event : ordered) {
            if (event instanceof CaseClosed closed) {
                latest = closed;
                outcome = orKept(closed.outcome(), outcome);
                closure = orKept(closed.closure(), closure);
            }
        }
        if (latest != null) {
            record.put("closedAt", time(latest.eventTime()));
        } else if (before.hasNonNull("closedAt")) {
            record.put("closedAt", before.get("closedAt").asText());
        }
        // The contract requires an outcome; VEP never having sent one means the case is not known to be resolved.
        record.put("outcome", (outcome == null ? Outcome.UNRESOLVED : outcome).wireName());
        if (closure != null) {
            record.put("closure", closure);
        }
    }

    private void addAssignments(ObjectNode record, List<CaseEvent> ordered, JsonNode before) {
        ArrayNode assignments = record.putArray("assignments");
        before.path("assignments").forEach(assignment -> assignments.add(assignment.deepCopy()));
        ObjectNode current = null;
        for (CaseEvent event : ordered) {
            if (event instanceof CaseOpened opened) {
                end(current, opened.eventTime(), null);
                current = assignments.addObject();
                current.set("agent", agentRef(opened.agentId()));
                putRef(current, "group", EntityKind.GROUP, opened.groupId());
                current.put("openedAt", time(opened.eventTime()));
            } else if (event instanceof CaseTransferredToGroup transfer) {
                end(current, transfer.eventTime(), "transferred");
                current = null;
            } else if (event instanceof CaseClosed closed) {
                end(current, closed.eventTime(), "closed");
                current = null;
            }
        }
    }

    /** Ends an assignment still running; a new opening without a transfer or close between ends it without a reason. */
    private static void end(ObjectNode assignment, Instant at, String reason) {
        if (assignment != null && !assignment.has("endedAt")) {
            assignment.put("endedAt", time(at));
            if (reason != null) {
                assignment.put("endReason", reason);
            }
        }
    }

    private void addTransfers(ObjectNode record, List<CaseEvent> ordered, JsonNode before) {
        ArrayNode transfers = record.putArray("transfers");
        before.path("transfers").forEach(transfer -> transfers.add(transfer.deepCopy()));
        for (CaseEvent event : ordered) {
            if (event instanceof CaseTransferredToGroup transfer) {
                ObjectNode entry = transfers.addObject();
                entry.put("at", time(transfer.eventTime()));
                if (transfer.previousAgentId() != null) {
                    entry.set("fromAgent", agentRef(transfer.previousAgentId()));
                }
                putRef(entry, "fromGroup", EntityKind.GROUP, transfer.previousGroupId());
                putRef(entry, "toGroup", EntityKind.GROUP, transfer.newGroupId());
            }
        }
    }

    /** Profiles merge attribute by attribute (a later event may carry only what changed). */
    private void addVisitorProfile(ObjectNode record, List<CaseEvent> ordered, JsonNode before) {
        ObjectNode profile = before.path("visitorProfile").isObject() ? ((ObjectNode) before.get("visitorProfile")).deepCopy() : null;
        for (CaseEvent event : ordered) {
            if (event instanceof CaseVisitorProfile visitor) {
                if (profile == null) {
                    profile = json.createObjectNode();
                }
                profile.setAll(visitor.profile());
            }
        }
        if (profile != null) {
            record.set("visitorProfile", profile);
        }
    }

    /**
     * The transcript of every time the case was open: the messages of all its transcripts (and of the
     * earlier revision's, when its events were purged), in order, a message a later transcript repeats
     * appearing once; the other properties are the latest transcript's, exactly as VEP sent it (unknown
     * properties and message types included).
     */
    private static void addTranscript(ObjectNode record, List<CaseEvent> ordered, boolean transcriptMissing, JsonNode before) {
        ObjectNode transcript = before.path("transcript").isObject() ? ((ObjectNode) before.get("transcript")).deepCopy() : null;
        for (CaseEvent event : ordered) {
            if (event instanceof CaseTranscriptClosed closed) {
                ObjectNode latest = closed.transcript().raw().deepCopy();
                if (transcript != null && transcript.path("messages").isArray() && latest.path("messages").isArray()) {
                    latest.set("messages", joined((ArrayNode) transcript.get("messages"), (ArrayNode) latest.get("messages")));
                }
                transcript = latest;
            }
        }
        if (transcript != null) {
            // transcriptMissing speaks of the latest close; the conversations before it are kept either way
            record.set("transcript", transcript);
        }
        record.put("transcriptMissing", transcriptMissing);
    }

    /** The earlier messages, then the later ones that do not repeat one of them. */
    static ArrayNode joined(ArrayNode earlier, ArrayNode later) {
        ArrayNode messages = earlier.deepCopy();
        java.util.Set<JsonNode> seen = new java.util.HashSet<>();
        earlier.forEach(seen::add);
        later.forEach(message -> {
            if (seen.add(message)) {
                messages.add(message.deepCopy());
            }
        });
        return messages;
    }

    private static void addHandleTime(ObjectNode record, List<CaseEvent> ordered, JsonNode before) {
        JsonNode earlierFirstOpened = before.path("assignments").path(0).path("openedAt");
        Instant firstOpened = earlierFirstOpened.isTextual() ? Instant.parse(earlierFirstOpened.asText())
                : ordered.stream().filter(CaseOpened.class::isInstance).map(CaseEvent::eventTime).findFirst().orElse(null);
        // addClosure has set closedAt to the latest close's time
        Instant closed = record.hasNonNull("closedAt") ? Instant.parse(record.get("closedAt").asText()) : null;
        if (firstOpened != null && closed != null && !closed.isBefore(firstOpened)) {
            record.put("handleTimeMs", Duration.between(firstOpened, closed).toMillis());
        }
    }

    private JsonNode agentRef(String agentId) {
        AgentRef agent = directory.agent(agentId);
        // Records show who handled the case, not the agent's group assignments.
        return json.valueToTree(new AgentRef(agent.id(), agent.name(), agent.displayName(), agent.email(), agent.externalIds(), null));
    }

    private void putRef(ObjectNode target, String field, EntityKind kind, String id) {
        if (id != null) {
            target.set(field, json.valueToTree(directory.ref(kind, id)));
        }
    }

    private static String idOf(JsonNode record, String field) {
        JsonNode id = record.path(field).path("id");
        return id.isTextual() ? id.asText() : null;
    }

    static String time(Instant instant) {
        return TIME.format(instant);
    }

    private static <T> T orKept(T update, T kept) {
        return update == null ? kept : update;
    }
}
