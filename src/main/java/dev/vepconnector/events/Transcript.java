package dev.vepconnector.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A conversation transcript exactly as VEP sent it. The raw object is what sinks receive, so
 * properties and message types this model does not know survive untouched; {@link #messages()}
 * is a typed, read-only view of it.
 */
public record Transcript(ObjectNode raw) {

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public Transcript {
        JsonNode messages = raw.get("messages");
        if (messages == null || !messages.isArray()) {
            throw new IllegalArgumentException("transcript.messages must be an array");
        }
    }

    @JsonValue
    public ObjectNode raw() {
        return raw;
    }

    public int messageCount() {
        return raw.get("messages").size();
    }

    public List<TranscriptMessage> messages() {
        List<TranscriptMessage> result = new ArrayList<>();
        for (JsonNode message : raw.get("messages")) {
            if (message instanceof ObjectNode object) {
                result.add(TranscriptMessage.of(object));
            }
        }
        return result;
    }

    @Override
    public String toString() {
        return "Transcript[" + messageCount() + " messages]";
    }
}
