package dev.vepconnector.sinks.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.sinks.RejectedDeliveryException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The route's last step: reads the Composite answer. Salesforce answers 200 with a status per
 * subrequest; with {@code allOrNone} the failing one carries the reason and the others say
 * PROCESSING_HALTED. A retryable error code or a 5xx is retried, any other error is a refusal with
 * Salesforce's codes, messages and fields.
 */
@Component("salesforceAnswer")
@ConditionalOnProperty(prefix = "vep.sinks.salesforce", name = "enabled", havingValue = "true")
public class SalesforceAnswer {

    private final ObjectMapper json;

    SalesforceAnswer(ObjectMapper json) {
        this.json = json;
    }

    public void check(String answer) throws IOException, RejectedDeliveryException {
        if (answer == null || answer.isBlank()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        boolean retryable = false;
        for (JsonNode subrequest : json.readTree(answer).path("compositeResponse")) {
            int status = subrequest.path("httpStatusCode").asInt(200);
            if (status >= 300) {
                boolean retryableCode = collectErrors(subrequest, problems);
                retryable |= retryableCode || status >= 500;
            }
        }
        if (problems.isEmpty()) {
            return;
        }
        if (retryable) {
            throw new IOException("Salesforce: " + String.join("; ", problems));
        }
        throw new RejectedDeliveryException("Salesforce: " + String.join("; ", problems));
    }

    /** Adds the subrequest's errors to problems, but PROCESSING_HALTED (the others' echo); true when one is retryable. */
    private static boolean collectErrors(JsonNode subrequest, List<String> problems) {
        boolean retryable = false;
        for (JsonNode error : subrequest.path("body")) {
            String code = error.path("errorCode").asText("");
            if (!"PROCESSING_HALTED".equals(code)) {
                problems.add(subrequest.path("referenceId").asText() + ": " + code + " " + error.path("message").asText("")
                        + (error.has("fields") ? " " + error.get("fields") : ""));
                retryable |= SalesforceFailures.RETRYABLE.contains(code);
            }
        }
        return retryable;
    }
}
