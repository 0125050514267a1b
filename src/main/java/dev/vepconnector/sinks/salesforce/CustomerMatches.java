package dev.vepconnector.sinks.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The route's step after Salesforce took the record: what the customer matching came to, counted
 * ({@code vep_salesforce_customer_matches_total{outcome="none|one|several"}}) and, for a case left unlinked
 * although the visitor gave something to find them by, listed for an admin (GET /api/sinks/salesforce/unmatched).
 * After the delivery, because with allOrNone nothing of a refused request is in Salesforce.
 */
@Component("salesforceCustomerMatches")
@ConditionalOnProperty(prefix = "vep.sinks.salesforce", name = "enabled", havingValue = "true")
public class CustomerMatches {

    private static final Logger log = LoggerFactory.getLogger(CustomerMatches.class);

    private final ObjectMapper json;
    private final UnmatchedCases unmatched;
    private final Clock clock;
    private final Map<String, Counter> outcomes;

    CustomerMatches(ObjectMapper json, UnmatchedCases unmatched, Clock clock, MeterRegistry registry) {
        this.json = json;
        this.unmatched = unmatched;
        this.clock = clock;
        this.outcomes = Map.of("none", counter(registry, "none"), "one", counter(registry, "one"), "several", counter(registry, "several"));
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("vep.salesforce.customer.matches").tag("outcome", outcome)
                .description("Case records delivered to Salesforce, by how many Contacts the customer rules found").register(registry);
    }

    /**
     * @param customer {@link SalesforceLookups#customer}
     * @param answer   Salesforce's answer to the Composite request (for the Case's id)
     */
    public void delivered(@Header("vepCaseId") String caseId, @Header("vepRevision") int revision, String customer, String answer)
            throws IOException {
        JsonNode decision = json.readTree(customer);
        String outcome = decision.path("outcome").asText(null);
        if (outcome == null) {
            return;
        }
        outcomes.get(outcome).increment();
        boolean identifiable = !decision.path("keys").isEmpty();
        boolean linked = "one".equals(outcome) || decision.hasNonNull("create");
        if (linked) {
            unmatched.linked(caseId, revision);
        } else if (identifiable) {
            List<String> candidates = new ArrayList<>();
            decision.path("candidates").forEach(id -> candidates.add(id.asText()));
            unmatched.note(caseId, revision, outcome, decision.path("matchedBy").asText(null), candidates, caseSalesforceId(answer),
                    clock.instant());
            if ("several".equals(outcome)) {
                log.info("Salesforce: case {} revision {} matches {} Contacts by {}: left unlinked, listed in /api/sinks/salesforce/unmatched",
                        caseId, revision, candidates.size(), decision.path("matchedBy").asText());
            }
        }
    }

    private String caseSalesforceId(String answer) throws IOException {
        for (JsonNode subrequest : json.readTree(answer == null ? "{}" : answer).path("compositeResponse")) {
            if ("vepCase".equals(subrequest.path("referenceId").asText())) {
                JsonNode id = subrequest.path("body").path("id");
                return id.isTextual() ? id.asText() : null;
            }
        }
        return null;
    }
}
