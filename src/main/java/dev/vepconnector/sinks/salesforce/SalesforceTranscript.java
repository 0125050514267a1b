package dev.vepconnector.sinks.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The transcript as text a CRM user reads, one line per message: {@code 2026-11-23 09:00:05 UTC - Agent
 * Ada Berg: It arrives tomorrow}, for the mapping to put in a long text field; when it is longer than the
 * field, cut after the last message that fits, with a note saying so and that the whole is the Case's file
 * {@link #file}. A reopened case's record holds every conversation: each is marked in the text, and
 * {@link #conversations} gives them one by one for an activity (Task) each. Java rather than jq: times in
 * UTC, speakers by their names in the assignments, a wording per message type, cuts at message boundaries
 * and conversations split by their closes would make a long jq program that nobody needs to edit to change
 * the Case's fields.
 */
@Component("salesforceTranscript")
@ConditionalOnProperty(prefix = "vep.sinks.salesforce", name = "enabled", havingValue = "true")
public class SalesforceTranscript {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    /** A Composite request holds 25 subrequests: the Case, a Contact or Lead, the file and at most this many Tasks. */
    static final int MAX_TASKS = 20;

    private final ObjectMapper json;
    private final SalesforceSinkProperties properties;

    SalesforceTranscript(ObjectMapper json, SalesforceSinkProperties properties) {
        this.json = json;
        this.properties = properties;
    }

    /** The record's transcript as lines of "time - who: what" (or a note that VEP sent none), at most maxLength characters. */
    public String text(String record, int maxLength) throws IOException {
        JsonNode parsed = json.readTree(record);
        return cut(lines(parsed), maxLength, "the whole transcript is the file \"" + fileTitle(parsed.path("caseId").asText()) + "\" in this Case's Files");
    }

    /**
     * The whole transcript as a file for the Case, when {@link #text} has to cut it for a field of maxLength:
     * {@code {"attach": true, "caseId", "title", "pathOnClient", "key", "data"}} (data: the text in UTF-8,
     * base64), else {@code {"attach": false}}. The key, the case id and a hash of the text, tells a file
     * Salesforce has already from a new one.
     */
    public String file(String record, int maxLength) throws IOException {
        JsonNode parsed = json.readTree(record);
        ObjectNode file = json.createObjectNode();
        String whole = String.join("", texts(lines(parsed)));
        if (whole.length() <= maxLength) {
            return file.put("attach", false).toString();
        }
        String caseId = parsed.path("caseId").asText();
        return file.put("attach", true)
                .put("caseId", caseId)
                .put("title", fileTitle(caseId))
                .put("pathOnClient", "chat-transcript-" + caseId.replaceAll("[^A-Za-z0-9._-]", "_") + ".txt")
                .put("key", caseId + ":" + sha256(whole).substring(0, 16))
                .put("data", Base64.getEncoder().encodeToString(whole.getBytes(StandardCharsets.UTF_8)))
                .toString();
    }

    /**
     * Each conversation of the case (a reopened case has one per close), the latest {@value #MAX_TASKS}, for
     * an activity each: {@code [{"number", "interactionId": "<caseId>:<number>", "openedAt", "closedAt",
     * "agents": [names], "ownerId": <the last agent's Salesforce user id>, "messages", "text"}]}, the text
     * at most descriptionLength characters. Empty when activities are off ({@code activity.enabled}).
     */
    public String conversations(String record, int descriptionLength) throws IOException {
        ArrayNode list = json.createArrayNode();
        if (!properties.activityEnabled()) {
            return list.toString();
        }
        JsonNode parsed = json.readTree(record);
        String caseId = parsed.path("caseId").asText();
        List<Conversation> conversations = split(parsed);
        for (Conversation conversation : conversations.subList(Math.max(0, conversations.size() - MAX_TASKS), conversations.size())) {
            ObjectNode entry = list.addObject();
            entry.put("number", conversation.number);
            entry.put("interactionId", caseId + ":" + conversation.number);
            entry.put("openedAt", conversation.openedAt());
            entry.put("closedAt", conversation.closedAt == null ? null : CaseTimes.iso(conversation.closedAt));
            ArrayNode agents = entry.putArray("agents");
            String ownerId = null;
            for (JsonNode assignment : conversation.assignments) {
                JsonNode agent = assignment.path("agent");
                if (agent.hasNonNull("name") && !contains(agents, agent.get("name").asText())) {
                    agents.add(agent.get("name").asText());
                }
                JsonNode salesforceId = agent.path("externalIds").path("Salesforce");
                ownerId = salesforceId.isTextual() ? salesforceId.asText() : ownerId;
            }
            entry.put("ownerId", ownerId);
            entry.put("messages", conversation.messages.size());
            List<Line> lines = new ArrayList<>();
            if (parsed.path("transcriptMissing").asBoolean() && conversation.number == conversations.size()) {
                lines.add(Line.note("(VEP sent no transcript for this conversation)\n"));
            }
            conversation.messages.forEach(message -> lines.add(Line.message(line(message, parsed))));
            entry.put("text", cut(lines, descriptionLength, "the whole transcript is on the Case"));
        }
        return list.toString();
    }

    static String fileTitle(String caseId) {
        return "Chat transcript " + caseId;
    }

    /** A line of the text: a message, or a note or conversation heading (not counted as a message when cut). */
    private record Line(String text, boolean isMessage) {
        static Line message(String text) {
            return new Line(text, true);
        }

        static Line note(String text) {
            return new Line(text, false);
        }
    }

    private record Conversation(int number, Instant closedAt, List<JsonNode> messages, List<JsonNode> assignments) {
        String openedAt() {
            JsonNode first = assignments.isEmpty() ? messages.isEmpty() ? null : messages.get(0).get("eventTime")
                    : assignments.get(0).get("openedAt");
            return first != null && first.isTextual() ? first.asText() : null;
        }
    }

    private List<Line> lines(JsonNode record) {
        List<Line> lines = new ArrayList<>();
        if (record.path("transcriptMissing").asBoolean()) {
            lines.add(Line.note("(VEP sent no transcript for this case)\n"));
        }
        List<Conversation> conversations = split(record);
        for (Conversation conversation : conversations) {
            if (conversations.size() > 1) {
                lines.add(Line.note("--- Conversation " + conversation.number + " ---\n"));
            }
            conversation.messages.forEach(message -> lines.add(Line.message(line(message, record))));
        }
        return lines;
    }

    /**
     * The record's conversations: a case closed, reopened and closed again has one per close ({@code events}
     * of type case.closed); a message or assignment belongs to the first close at or after its time (after
     * the last close: the last conversation).
     */
    private static List<Conversation> split(JsonNode record) {
        TreeSet<Instant> closes = new TreeSet<>();
        for (JsonNode event : record.path("events")) {
            if ("case.closed".equals(event.path("type").asText())) {
                Instant at = CaseTimes.parse(event.path("eventTime").asText(null));
                if (at != null) {
                    closes.add(at);
                }
            }
        }
        if (closes.isEmpty() && CaseTimes.parse(record.path("closedAt").asText(null)) != null) {
            closes.add(CaseTimes.parse(record.path("closedAt").asText()));
        }
        List<Instant> ends = new ArrayList<>(closes);
        List<Conversation> conversations = new ArrayList<>();
        for (int i = 0; i < Math.max(1, ends.size()); i++) {
            conversations.add(new Conversation(i + 1, ends.isEmpty() ? null : ends.get(i), new ArrayList<>(), new ArrayList<>()));
        }
        int current = 0;
        for (JsonNode message : record.path("transcript").path("messages")) {
            current = conversationAt(ends, CaseTimes.parse(message.path("eventTime").asText(null)), current);
            conversations.get(current).messages.add(message);
        }
        current = 0;
        for (JsonNode assignment : record.path("assignments")) {
            current = conversationAt(ends, CaseTimes.parse(assignment.path("openedAt").asText(null)), current);
            conversations.get(current).assignments.add(assignment);
        }
        return conversations;
    }

    /** The index of the conversation that time belongs to; a time that cannot be read stays with the one before. */
    private static int conversationAt(List<Instant> ends, Instant time, int previous) {
        if (time == null) {
            return previous;
        }
        for (int i = 0; i < ends.size(); i++) {
            if (!time.isAfter(ends.get(i))) {
                return i;
            }
        }
        return Math.max(0, ends.size() - 1);
    }

    /**
     * The lines, whole when they fit in maxLength; otherwise the messages that fit, then a note saying how
     * many of how many are shown and where the whole is. Cut between messages, never inside one (unless
     * the first alone is longer than the field).
     */
    private static String cut(List<Line> lines, int maxLength, String whereTheWholeIs) {
        List<String> texts = texts(lines);
        if (texts.stream().mapToInt(String::length).sum() <= maxLength) {
            return String.join("", texts);
        }
        long messages = lines.stream().filter(Line::isMessage).count();
        // the longest the note can be: the count of messages shown has at most as many digits as the total
        int budget = maxLength - note(messages, messages, whereTheWholeIs).length();
        StringBuilder text = new StringBuilder();
        long shown = 0;
        for (Line line : lines) {
            if (text.length() + line.text.length() > budget) {
                break;
            }
            text.append(line.text);
            shown += line.isMessage ? 1 : 0;
        }
        if (text.isEmpty() && !lines.isEmpty() && budget > 1) {
            String first = lines.get(0).text;
            int end = Character.isLowSurrogate(first.charAt(budget - 1)) ? budget - 2 : budget - 1;
            text.append(first, 0, end).append('\n');
        }
        return text.append(note(shown, messages, whereTheWholeIs)).toString();
    }

    private static String note(long shown, long messages, String whereTheWholeIs) {
        return "(transcript cut here: " + shown + " of " + messages + " messages shown; " + whereTheWholeIs + ")\n";
    }

    private static List<String> texts(List<Line> lines) {
        return lines.stream().map(Line::text).toList();
    }

    private static String line(JsonNode message, JsonNode record) {
        return time(message.path("eventTime").asText(null)) + " - " + speaker(message, record) + ": " + content(message) + "\n";
    }

    private static String content(JsonNode m) {
        String type = m.path("messageType").asText("");
        return switch (type) {
            case "chat" -> m.path("message").asText("");
            case "navigation" -> "(co-browsing) " + m.path("url").asText("");
            case "note" -> "(note) " + m.path("message").asText("");
            case "link" -> "(link) " + m.path("title").asText("") + " " + m.path("url").asText("");
            case "video" -> "(video " + m.path("activity").asText("") + ")";
            case "title" -> "(title) " + m.path("message").asText("");
            default -> "(" + type + ")" + (m.has("message") ? " " + m.path("message").asText("") : "");
        };
    }

    /** "Visitor", "Agent <name>" (from the record's assignments), "Agent" when its name is unknown, or "System". */
    private static String speaker(JsonNode message, JsonNode record) {
        JsonNode speaker = message.path("speaker");
        if (speaker.has("visitorId")) {
            return "Visitor";
        }
        JsonNode agent = speaker.path("agentId");
        String agentId = agent.isObject() ? agent.path("id").asText(null) : agent.asText(null);
        if (agentId == null) {
            return "System";
        }
        for (JsonNode assignment : record.path("assignments")) {
            JsonNode known = assignment.path("agent");
            if (agentId.equals(known.path("id").asText()) && known.has("name")) {
                return "Agent " + known.path("name").asText();
            }
        }
        return "Agent";
    }

    private static boolean contains(ArrayNode values, String value) {
        for (JsonNode existing : values) {
            if (existing.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static String time(String iso) {
        Instant at = CaseTimes.parse(iso);
        return at == null ? (iso == null ? "" : iso) : CLOCK.format(at);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** The record's times (ISO-8601 UTC). */
    static final class CaseTimes {
        private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

        private CaseTimes() {
        }

        static Instant parse(String iso) {
            try {
                return iso == null ? null : Instant.parse(iso);
            } catch (DateTimeParseException e) {
                return null;
            }
        }

        static String iso(Instant at) {
            return ISO.format(at);
        }
    }
}
