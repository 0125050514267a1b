package dev.vepconnector.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Collectors;

/**
 * Reads VEP message bodies into typed events, as tolerant as the interface demands (unknown
 * properties ignored, absent attributes legal) and as strict as the data needs: a body that is not
 * UTF-8 JSON, lacks the id that says what it is about, or carries a value of the wrong type or
 * outside its enumeration is rejected with a reason.
 */
public class VepEventReader {

    /** Nesting deeper than this is hostile, not VEP: transcripts are three levels deep. */
    static final int MAX_NESTING_DEPTH = 64;

    /** VEP ids are GUIDs; anything this long is not an id (and would not fit the id columns). */
    static final int MAX_ID_LENGTH = 200;

    /** The longest event the connector stores (the event log's column); VEP's events are a few kilobytes. */
    public static final int MAX_STORED_LENGTH = 1_000_000;

    private final ObjectMapper strict;
    private final ObjectMapper canonical;

    public VepEventReader() {
        this.strict = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
        strict.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH).build());
        this.canonical = JsonMapper.builder()
                .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
                .disable(SerializationFeature.INDENT_OUTPUT)
                .build();
    }

    public ReadResult read(String routingKey, byte[] body, Instant receivedAt) {
        VepEventType type = VepEventType.ofRoutingKey(routingKey).orElse(null);
        if (type == null) {
            return new ReadResult.Ignored(routingKey);
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            return reject(RejectReason.INVALID_ENCODING, type + " body is not valid UTF-8");
        }
        JsonNode tree;
        try {
            tree = strict.readTree(body);
        } catch (StreamConstraintsException e) {
            return reject(RejectReason.LIMIT_EXCEEDED, type + " body exceeds parser limits: " + firstLine(e.getOriginalMessage()));
        } catch (Exception e) {
            return reject(RejectReason.NOT_JSON, type + " body is not JSON: " + firstLine(e.getMessage()));
        }
        if (tree == null || !tree.isObject()) {
            return reject(RejectReason.NOT_OBJECT, type + " body must be a JSON object, got " + (tree == null ? "nothing" : tree.getNodeType().name().toLowerCase()));
        }
        return readObject(type, (ObjectNode) tree, receivedAt);
    }

    private ReadResult readObject(VepEventType type, ObjectNode tree, Instant receivedAt) {
        JsonNode id = tree.get(type.idField());
        if (id == null || id.isNull() || (id.isTextual() && id.asText().isBlank())) {
            return reject(RejectReason.MISSING_FIELD, type + " requires '" + type.idField() + "'");
        }
        if (!id.isTextual()) {
            return reject(RejectReason.INVALID_VALUE, type + " '" + type.idField() + "' must be a string, got " + id.getNodeType().name().toLowerCase());
        }
        if (id.asText().length() > MAX_ID_LENGTH) {
            return reject(RejectReason.INVALID_VALUE, type + " '" + type.idField() + "' is longer than " + MAX_ID_LENGTH + " characters");
        }
        VepEvent event;
        try {
            event = strict.treeToValue(tree, type.eventClass());
        } catch (JsonMappingException e) {
            return reject(RejectReason.INVALID_VALUE, type + " " + describe(e));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return reject(RejectReason.INVALID_VALUE, type + " " + firstLine(e.getMessage()));
        }
        String missing = EventRules.missingRequiredField(event);
        if (missing != null) {
            return reject(RejectReason.MISSING_FIELD, type + " requires '" + missing + "'");
        }
        String invalid = EventRules.invalidValue(event);
        if (invalid != null) {
            return reject(RejectReason.INVALID_VALUE, type + " " + invalid);
        }
        if (event.eventTime() == null) {
            event = EventRules.withEventTime(event, receivedAt);
        }
        String canonicalJson = canonicalJson(tree);
        if (canonicalJson.length() > MAX_STORED_LENGTH) {
            return reject(RejectReason.LIMIT_EXCEEDED, type + " of " + canonicalJson.length() + " characters exceeds the "
                    + MAX_STORED_LENGTH + " the connector stores");
        }
        return new ReadResult.Accepted(event, canonicalJson);
    }

    /** Sorted-key JSON of the body: the same event re-serialized differently is still a duplicate. */
    private String canonicalJson(ObjectNode tree) {
        try {
            return canonical.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree could not be written", e);
        }
    }

    private static String describe(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
        String message = cause == e ? firstLine(e.getOriginalMessage()) : cause.getMessage();
        return (path.isEmpty() ? "" : "'" + path + "': ") + message;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private static ReadResult reject(RejectReason reason, String detail) {
        return new ReadResult.Rejected(reason, detail);
    }
}
