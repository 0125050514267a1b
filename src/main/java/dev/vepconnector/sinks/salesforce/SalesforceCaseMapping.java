package dev.vepconnector.sinks.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a case record into the fields of a Salesforce Case, by the mapping in configuration, and its
 * transcript into text a CRM user can read.
 */
final class SalesforceCaseMapping {

    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z0-9_]+)(?:\\[(-?\\d+)])?");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final SalesforceSinkProperties.CaseObject caseObject;
    private final SalesforceSinkProperties.Transcript transcript;

    SalesforceCaseMapping(SalesforceSinkProperties.CaseObject caseObject, SalesforceSinkProperties.Transcript transcript) {
        this.caseObject = caseObject;
        this.transcript = transcript;
        caseObject.fields().forEach((field, expression) -> check(field, expression));
    }

    /** The Case's fields for this record; a mapping that finds nothing leaves its field out (unchanged in Salesforce). */
    ObjectNode caseFields(JsonNode record) {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        caseObject.fields().forEach((field, expression) -> {
            JsonNode value = evaluate(expression, record);
            if (value != null && !value.isNull() && !value.isMissingNode()) {
                fields.set(field, value);
            }
        });
        if (transcript.mode() == SalesforceSinkProperties.TranscriptMode.CASE_FIELD) {
            fields.put(transcript.field(), transcriptText(record));
        }
        return fields;
    }

    /** The transcript as lines of "time - who: what", or a note that VEP sent none. */
    String transcriptText(JsonNode record) {
        StringBuilder text = new StringBuilder();
        if (record.path("transcriptMissing").asBoolean()) {
            text.append("(VEP sent no transcript for this case)\n");
        }
        for (JsonNode message : record.path("transcript").path("messages")) {
            text.append(time(message.path("eventTime").asText(null))).append(" - ").append(speaker(message, record)).append(": ")
                    .append(content(message)).append('\n');
        }
        if (text.length() > transcript.maxLength()) {
            String cut = "\n(transcript cut at " + transcript.maxLength() + " characters)";
            return text.substring(0, transcript.maxLength() - cut.length()) + cut;
        }
        return text.toString();
    }

    private static String content(JsonNode m) {
        String type = m.path("messageType").asText("");
        switch (type) {
            case "chat":
                return m.path("message").asText("");
            case "navigation":
                return "(co-browsing) " + m.path("url").asText("");
            case "note":
                return "(note) " + m.path("message").asText("");
            case "link":
                return "(link) " + m.path("title").asText("") + " " + m.path("url").asText("");
            case "video":
                return "(video " + m.path("activity").asText("") + ")";
            case "title":
                return "(title) " + m.path("message").asText("");
            default:
                return "(" + type + ")" + (m.has("message") ? " " + m.path("message").asText("") : "");
        }
    }

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

    private JsonNode evaluate(String expression, JsonNode record) {
        String trimmed = expression.trim();
        if (trimmed.startsWith("'") && trimmed.endsWith("'") && trimmed.length() >= 2) {
            return JsonNodeFactory.instance.textNode(trimmed.substring(1, trimmed.length() - 1));
        }
        String path = trimmed;
        String map = null;
        int arrow = trimmed.indexOf("->");
        if (arrow >= 0) {
            path = trimmed.substring(0, arrow).trim();
            map = trimmed.substring(arrow + 2).trim();
        }
        JsonNode value = resolve(path, record);
        if (map == null || value == null || value.isMissingNode()) {
            return value;
        }
        Map<String, String> values = caseObject.valueMaps().get(map);
        String mapped = values == null ? null : values.get(value.asText());
        return mapped == null ? null : JsonNodeFactory.instance.textNode(mapped);
    }

    /** A dotted path with optional indexes ({@code assignments[-1].agent.name}; negative counts from the end). */
    static JsonNode resolve(String path, JsonNode record) {
        JsonNode node = record;
        for (String segment : path.split("\\.")) {
            Matcher m = SEGMENT.matcher(segment);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a record path: " + path);
            }
            node = node.path(m.group(1));
            if (m.group(2) != null) {
                int index = Integer.parseInt(m.group(2));
                node = node.path(index < 0 ? node.size() + index : index);
            }
        }
        return node.isMissingNode() ? null : node;
    }

    private void check(String field, String expression) {
        String trimmed = expression == null ? "" : expression.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("vep.sinks.salesforce.case-object.fields." + field + " is empty");
        }
        int arrow = trimmed.indexOf("->");
        if (arrow >= 0 && !caseObject.valueMaps().containsKey(trimmed.substring(arrow + 2).trim())) {
            throw new IllegalArgumentException("vep.sinks.salesforce.case-object.fields." + field + " uses the value map '"
                    + trimmed.substring(arrow + 2).trim() + "', which vep.sinks.salesforce.case-object.value-maps does not define");
        }
    }
}
