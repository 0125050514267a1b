package dev.vepconnector.sinks.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.sinks.SinkFailure;
import dev.vepconnector.sinks.SinkFailureClassifier;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.springframework.stereotype.Component;

/**
 * What a failed camel-salesforce call means for the delivery. Limits, lock contention, an expired
 * session that a new token did not cure, 408, 429, 5xx and an unreachable Salesforce are retried;
 * anything else Salesforce answered (validation and field errors, a missing object) is a refusal, with
 * Salesforce's error codes and messages.
 */
@Component
class SalesforceFailures implements SinkFailureClassifier {

    /** Error codes that say "not now" rather than "not this record". */
    static final Set<String> RETRYABLE = Set.of("REQUEST_LIMIT_EXCEEDED", "UNABLE_TO_LOCK_ROW", "SERVER_UNAVAILABLE",
            "INVALID_SESSION_ID", "API_CURRENTLY_DISABLED", "QUERY_TIMEOUT", "PROCESSING_HALTED_RETRY");
    private static final int MAX_MESSAGE = 500;

    private final ObjectMapper json;

    SalesforceFailures(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public SinkFailure classify(Throwable failure) {
        SalesforceException salesforce = find(failure);
        if (salesforce == null) {
            return null;
        }
        int status = salesforce.getStatusCode();
        if (status == 0) {
            return SinkFailure.retry("Salesforce unreachable: " + reason(salesforce));
        }
        List<RestError> errors = errors(salesforce);
        StringBuilder description = new StringBuilder("Salesforce HTTP ").append(status);
        errors.forEach(error -> description.append(": ").append(error.getErrorCode()).append(' ').append(error.getMessage()));
        boolean retryable = status == 401 || status == 408 || status == 429 || status >= 500
                || errors.stream().anyMatch(error -> RETRYABLE.contains(error.getErrorCode()));
        return retryable ? SinkFailure.retry(description.toString()) : SinkFailure.refused(description.toString());
    }

    /** The errors Salesforce answered: parsed by camel-salesforce, or (the raw operation) the answer itself as the message. */
    private List<RestError> errors(SalesforceException salesforce) {
        if (salesforce.getErrors() != null && !salesforce.getErrors().isEmpty()) {
            return salesforce.getErrors();
        }
        List<RestError> errors = new ArrayList<>();
        for (JsonNode error : answer(salesforce.getMessage())) {
            errors.add(new RestError(error.path("errorCode").asText(), error.path("message").asText()));
        }
        return errors;
    }

    private JsonNode answer(String message) {
        try {
            JsonNode answer = message == null || !message.startsWith("[") ? null : json.readTree(message);
            return answer != null && answer.isArray() ? answer : json.createArrayNode();
        } catch (IOException e) {
            return json.createArrayNode();
        }
    }

    private static String reason(SalesforceException salesforce) {
        Throwable root = salesforce;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage());
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "...";
    }

    private static SalesforceException find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SalesforceException salesforce) {
                return salesforce;
            }
        }
        return null;
    }
}
