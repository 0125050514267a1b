package dev.vepconnector.sinks.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The transcript as text a CRM user reads, one line per message: {@code 2026-11-23 09:00:05 UTC - Agent
 * Ada Berg: It arrives tomorrow}, for the mapping to put in a long text field. Java rather than jq: times
 * in UTC, speakers by their names in the assignments, a wording per message type and a cut with a note
 * would make a long jq program that nobody needs to edit to change the Case's fields.
 */
@Component("salesforceTranscript")
@ConditionalOnProperty(prefix = "vep.sinks.salesforce", name = "enabled", havingValue = "true")
public class SalesforceTranscript {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final ObjectMapper json;

    SalesforceTranscript(ObjectMapper json) {
        this.json = json;
    }

    /** The record's transcript as lines of "time - who: what", or a note that VEP sent none; at most maxLength characters. */
    public String text(String record, int maxLength) throws IOException {
        return cut(lines(json.readTree(record)), maxLength);
    }

    private static String lines(JsonNode record) {
        StringBuilder text = new StringBuilder();
        if (record.path("transcriptMissing").asBoolean()) {
            text.append("(VEP sent no transcript for this case)\n");
        }
        for (JsonNode message : record.path("transcript").path("messages")) {
            text.append(time(message.path("eventTime").asText(null))).append(" - ").append(speaker(message, record)).append(": ")
                    .append(content(message)).append('\n');
        }
        return text.toString();
    }

    private static String cut(String text, int maxLength) {
        if (text.length() <= maxLength) {
            return text;
        }
        String note = "\n(transcript cut at " + maxLength + " characters)";
        return text.substring(0, maxLength - note.length()) + note;
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

    private static String time(String iso) {
        try {
            return iso == null ? "" : CLOCK.format(Instant.parse(iso));
        } catch (DateTimeParseException e) {
            return iso;
        }
    }
}
