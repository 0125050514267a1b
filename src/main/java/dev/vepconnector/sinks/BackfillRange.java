package dev.vepconnector.sinks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * The range of a backfill: records whose revision was emitted from {@code from} (inclusive) to {@code to}
 * (exclusive), by the connector's emission time (the record's revision time, {@code emittedAt} in
 * {@code /api/cases}), not by VEP's event times.
 */
record BackfillRange(Instant from, Instant to) {

    private static final String EXAMPLE = "{\"from\": \"2026-11-01T00:00:00Z\", \"to\": \"2026-12-01T00:00:00Z\"}";

    /** The range of a request body; a 400 saying what is wrong otherwise. */
    static BackfillRange parse(ObjectMapper json, String body) {
        JsonNode request = read(json, body);
        Instant from = instant(request, "from");
        Instant to = instant(request, "to");
        if (!from.isBefore(to)) {
            throw refused("from (" + from + ") must be before to (" + to + ")");
        }
        return new BackfillRange(from, to);
    }

    private static JsonNode read(ObjectMapper json, String body) {
        if (body == null || body.isBlank()) {
            throw refused("the body must give the range of emission times, e.g. " + EXAMPLE);
        }
        try {
            JsonNode request = json.readTree(body);
            if (!request.isObject()) {
                throw refused("the body must be a JSON object, e.g. " + EXAMPLE);
            }
            return request;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw refused("the body is not JSON (" + e.getOriginalMessage() + "); e.g. " + EXAMPLE);
        }
    }

    private static Instant instant(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || !value.isTextual()) {
            throw refused(field + " is required, an ISO-8601 date and time with an offset, e.g. " + EXAMPLE);
        }
        try {
            return OffsetDateTime.parse(value.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw refused(field + " '" + value.asText() + "' is no ISO-8601 date and time with an offset (2026-11-01T00:00:00Z)");
        }
    }

    private static ResponseStatusException refused(String message) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, "Backfill: " + message);
    }
}
