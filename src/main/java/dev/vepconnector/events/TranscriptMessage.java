package dev.vepconnector.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One message of a transcript (interface 7.1.6.2). Any property may be absent, and message types
 * may be added at any time: an unknown type is an {@link Other}, never an error.
 */
public sealed interface TranscriptMessage {

    Common common();

    /** Properties every message type has. */
    record Common(Instant eventTime, Party speaker, List<Party> recipients, ObjectNode raw) {
    }

    /** A visitor ({@code visitorId}) or an agent ({@code agentId} with its external ids). */
    record Party(String visitorId, String agentId, Map<String, String> agentExternalIds) {

        public boolean isAgent() {
            return agentId != null;
        }
    }

    record Chat(Common common, String message) implements TranscriptMessage {
    }

    record Navigation(Common common, String url) implements TranscriptMessage {
    }

    record Note(Common common, String message) implements TranscriptMessage {
    }

    record Link(Common common, String title, String url) implements TranscriptMessage {
    }

    record Video(Common common, String activity) implements TranscriptMessage {
    }

    record Title(Common common, String message) implements TranscriptMessage {
    }

    /** A message type this version of the interface does not describe. */
    record Other(Common common, String messageType) implements TranscriptMessage {
    }

    static TranscriptMessage of(ObjectNode node) {
        Common common = new Common(time(node.get("eventTime")), party(node.get("speaker")), parties(node.get("recipients")), node);
        String type = text(node, "messageType");
        return switch (type == null ? "" : type) {
            case "chat" -> new Chat(common, text(node, "message"));
            case "navigation" -> new Navigation(common, text(node, "url"));
            case "note" -> new Note(common, text(node, "message"));
            case "link" -> new Link(common, text(node, "title"), text(node, "url"));
            case "video" -> new Video(common, text(node, "activity"));
            case "title" -> new Title(common, text(node, "message"));
            default -> new Other(common, type);
        };
    }

    private static Party party(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode agent = node.get("agentId");
        String agentId = null;
        Map<String, String> externalIds = Map.of();
        if (agent != null && agent.isObject()) {
            agentId = text(agent, "id");
            externalIds = stringMap(agent.get("externalIds"));
        } else if (agent != null && agent.isTextual()) {
            agentId = agent.asText();
        }
        return new Party(text(node, "visitorId"), agentId, externalIds);
    }

    private static List<Party> parties(JsonNode node) {
        List<Party> result = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(element -> {
                Party party = party(element);
                if (party != null) {
                    result.add(party);
                }
            });
        }
        return result;
    }

    private static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> result = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                    result.put(e.getKey(), e.getValue().asText());
                }
            });
        }
        return result;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }

    private static Instant time(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
