package dev.vepconnector.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.vepconnector.startup.CannotStartException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Takes a visitor's personal data out of a message before it is stored (the inbox, the event log,
 * dead letters, records and sinks all see only what is left): card numbers, and as configured e-mail
 * addresses, phone numbers, patterns of your own and whole visitor-profile keys. It reads the text
 * of transcript messages and the values of visitor profiles, nothing else: ids, times and types stay
 * as VEP sent them. The same message always comes out the same, so a redelivery is still recognised
 * as a duplicate. A body that is not JSON (it will be rejected and kept as a dead letter) has its
 * text masked as a whole.
 */
@Component
public class Redactor {

    /** What was taken out, as counted in {@code vep_privacy_redactions_total{kind}}. */
    enum Kind {
        CARD_NUMBER, EMAIL, PHONE_NUMBER, PATTERN, PROFILE_KEY;

        String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    static final String TRANSCRIPT = "case.transcriptClosed";
    static final String VISITOR_PROFILE = "case.visitorProfile";
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    private static final Pattern PHONE = Pattern.compile("(?<![\\w*+])\\+?\\(?\\d(?:[ ().-]{0,2}\\d){7,14}(?![\\w*])");
    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    /** Transcript message properties that are not text someone typed. */
    private static final Set<String> NOT_TEXT = Set.of("eventTime", "messageType");

    private final PrivacyProperties properties;
    private final List<Pattern> patterns;
    private final Set<String> droppedKeys;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<Kind, Counter> redactions = new EnumMap<>(Kind.class);
    /** Whether any redaction is switched on. */
    private final boolean active;

    public Redactor(PrivacyProperties properties, MeterRegistry registry) {
        this.properties = properties;
        this.patterns = compile(properties.redactPatterns());
        this.droppedKeys = properties.dropProfileKeys().stream().map(k -> k.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        this.active = properties.redactCardNumbers() || properties.redactEmails() || properties.redactPhoneNumbers() || !patterns.isEmpty()
                || !droppedKeys.isEmpty();
        for (Kind kind : Kind.values()) {
            redactions.put(kind, Counter.builder("vep.privacy.redactions").tag("kind", kind.tag())
                    .description("Pieces of personal data taken out of messages before they were stored").register(registry));
        }
    }

    /** The body as it may be stored: the same array when nothing in it had to go. */
    public byte[] redact(String routingKey, byte[] body) {
        boolean transcript = TRANSCRIPT.equals(routingKey);
        if (!(transcript || VISITOR_PROFILE.equals(routingKey)) || !active) {
            return body;
        }
        try {
            JsonNode root = json.readTree(body);
            if (!(root instanceof ObjectNode message)) {
                return redactRawText(body);
            }
            boolean changed = transcript ? redactTranscript(message) : redactProfile(message);
            return changed ? json.writeValueAsBytes(message) : body;
        } catch (IOException | RuntimeException e) {
            // Not JSON (it will be rejected), or too deep or large to rewrite: what is stored is masked as text.
            return redactRawText(body);
        }
    }

    private boolean redactTranscript(ObjectNode message) {
        JsonNode messages = message.path("transcript").path("messages");
        boolean changed = false;
        if (messages instanceof ArrayNode list) {
            for (JsonNode entry : list) {
                if (entry instanceof ObjectNode object) {
                    changed |= redactTextFields(object);
                }
            }
        }
        return changed;
    }

    /** The message's own text properties; nested objects (speaker, recipients) hold ids. */
    private boolean redactTextFields(ObjectNode object) {
        boolean changed = false;
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isTextual() && !NOT_TEXT.contains(field.getKey()) && !field.getKey().endsWith("Id")) {
                String text = field.getValue().textValue();
                String redacted = redactText(text);
                if (!redacted.equals(text)) {
                    field.setValue(TextNode.valueOf(redacted));
                    changed = true;
                }
            }
        }
        return changed;
    }

    private boolean redactProfile(ObjectNode message) {
        return message.get("profile") instanceof ObjectNode profile && redactValues(profile, true);
    }

    /** Redacts the values in the object or array in place; says whether anything changed. */
    private boolean redactValues(JsonNode node, boolean topLevel) {
        boolean changed = false;
        if (node instanceof ObjectNode object) {
            List<String> drop = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (topLevel && droppedKeys.contains(field.getKey().toLowerCase(Locale.ROOT))) {
                    drop.add(field.getKey());
                } else if (field.getValue().isContainerNode()) {
                    changed |= redactValues(field.getValue(), false);
                } else {
                    JsonNode redacted = redactScalar(field.getValue());
                    if (redacted != field.getValue()) {
                        field.setValue(redacted);
                        changed = true;
                    }
                }
            }
            drop.forEach(key -> {
                object.remove(key);
                count(Kind.PROFILE_KEY);
            });
            changed |= !drop.isEmpty();
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isContainerNode()) {
                    changed |= redactValues(array.get(i), false);
                } else {
                    JsonNode redacted = redactScalar(array.get(i));
                    if (redacted != array.get(i)) {
                        array.set(i, redacted);
                        changed = true;
                    }
                }
            }
        }
        return changed;
    }

    /** Text is redacted; a card number given as a JSON number becomes masked text. The same node when nothing changed. */
    private JsonNode redactScalar(JsonNode value) {
        if (value.isTextual() || value.isIntegralNumber()) {
            String text = value.isTextual() ? value.textValue() : value.asText();
            String redacted = redactText(text);
            return redacted.equals(text) ? value : TextNode.valueOf(redacted);
        }
        return value;
    }

    /** Free text with everything that must not be stored masked. */
    String redactText(String text) {
        String out = text;
        if (properties.redactCardNumbers()) {
            out = CardNumbers.mask(out, () -> count(Kind.CARD_NUMBER));
        }
        for (Pattern pattern : patterns) {
            out = replace(out, pattern, Kind.PATTERN, match -> properties.mask());
        }
        if (properties.redactEmails()) {
            out = replace(out, EMAIL, Kind.EMAIL, match -> properties.mask());
        }
        if (properties.redactPhoneNumbers()) {
            out = replace(out, PHONE, Kind.PHONE_NUMBER, match -> ISO_DATE.matcher(match).matches() ? match : properties.mask());
        }
        return out;
    }

    private String replace(String text, Pattern pattern, Kind kind, UnaryOperator<String> replacement) {
        var matcher = pattern.matcher(text);
        if (!matcher.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        do {
            String match = matcher.group();
            String replaced = replacement.apply(match);
            if (!replaced.equals(match)) {
                count(kind);
            }
            matcher.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(replaced));
        } while (matcher.find());
        matcher.appendTail(out);
        return out.toString();
    }

    /**
     * Not JSON: it is kept as a dead letter as received, so its text is masked as a whole. Read as
     * ISO-8859-1, where every byte is one character: the digits, at-signs and dots the patterns match
     * are ASCII, and every other byte (a UTF-8 sequence, or an encoding that is no UTF-8 at all) comes
     * back exactly as it was.
     */
    private byte[] redactRawText(byte[] body) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String redacted = redactText(text);
        return redacted.equals(text) ? body : redacted.getBytes(StandardCharsets.ISO_8859_1);
    }

    private void count(Kind kind) {
        redactions.get(kind).increment();
    }

    private static List<Pattern> compile(List<String> regexes) {
        List<Pattern> compiled = new ArrayList<>();
        for (String regex : regexes) {
            if (regex == null || regex.isBlank()) {
                continue;
            }
            try {
                compiled.add(Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                throw new CannotStartException("vep.privacy.redact-patterns holds an invalid regular expression: " + e.getDescription()
                        + " in '" + regex + "'", "Fix the pattern (Java regular expression syntax) or remove it");
            }
        }
        return List.copyOf(compiled);
    }
}
