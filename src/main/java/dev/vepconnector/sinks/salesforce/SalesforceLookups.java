package dev.vepconnector.sinks.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vepconnector.sinks.RejectedDeliveryException;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * What the Composite request of a record depends on, asked of Salesforce in one call before it: the Contacts
 * the customer rules find (one SOQL query for all rules) and whether the transcript's file is attached
 * already (a query by its key, only for a transcript too long for its field). One Composite request of
 * queries, so that both together count as one API call; no call at all when there is nothing to look up.
 * Salesforce cannot make the upsert itself depend on a query's answer (a Composite request has no "if"),
 * hence the separate call.
 */
@Component("salesforceLookups")
@ConditionalOnProperty(prefix = "vep.sinks.salesforce", name = "enabled", havingValue = "true")
public class SalesforceLookups {

    static final String CONTACTS = "vepContacts";
    static final String TRANSCRIPT_FILES = "vepTranscriptFiles";
    /** The ContentVersion field holding the file's key (case id and a hash of the text): External ID, Unique. */
    static final String FILE_KEY_FIELD = "VEP_Transcript_Key__c";

    private final ObjectMapper json;
    private final SalesforceSinkProperties properties;

    SalesforceLookups(ObjectMapper json, SalesforceSinkProperties properties) {
        this.json = json;
        this.properties = properties;
    }

    /**
     * The lookup request, or null when there is nothing to look up (no customer rule has a value in the
     * record and the transcript fits its field).
     *
     * @param customerRules  the rules file's output for the record (null: matching is off)
     * @param transcriptFile {@link SalesforceTranscript#file}
     */
    public String request(String customerRules, String transcriptFile) throws IOException, RejectedDeliveryException {
        ArrayNode queries = json.createArrayNode();
        CustomerRules rules = rules(customerRules);
        if (rules != null && rules.hasValues()) {
            queries.addObject().put("method", "GET").put("url", queryUrl(rules.query())).put("referenceId", CONTACTS);
        }
        JsonNode file = json.readTree(transcriptFile);
        if (file.path("attach").asBoolean()) {
            queries.addObject().put("method", "GET").put("referenceId", TRANSCRIPT_FILES).put("url", queryUrl(
                    "SELECT Id, ContentDocumentId, " + FILE_KEY_FIELD + " FROM ContentVersion WHERE " + FILE_KEY_FIELD + " LIKE "
                            + CustomerRules.likePrefix(file.path("caseId").asText() + ":") + " ORDER BY CreatedDate DESC LIMIT 10"));
        }
        if (queries.isEmpty()) {
            return null;
        }
        ObjectNode request = json.createObjectNode();
        // Queries change nothing: each is answered on its own.
        request.put("allOrNone", false);
        request.set("compositeRequest", queries);
        return request.toString();
    }

    /**
     * Who the visitor is, for the mapping: {@code {"outcome": "one"|"none"|"several", "matchedBy": <field>,
     * "contactId", "accountId", "candidates": [ids], "create": "contact"|"lead"|null, "keys": {field: value}}};
     * {@code {}} when matching is off.
     */
    public String customer(String customerRules, String lookupAnswer) throws IOException, RejectedDeliveryException {
        CustomerRules rules = rules(customerRules);
        if (rules == null) {
            return "{}";
        }
        CustomerRules.Decision decision = rules.hasValues() ? rules.decide(records(lookupAnswer, CONTACTS)) : CustomerRules.Decision.none();
        ObjectNode customer = json.createObjectNode();
        customer.put("outcome", decision.outcome());
        customer.put("matchedBy", decision.matchedBy());
        customer.put("contactId", decision.contactId());
        customer.put("accountId", decision.accountId());
        customer.set("candidates", json.valueToTree(decision.candidates()));
        // Creating a Contact or Lead without anything to find it by next time would create one for every record.
        boolean create = "none".equals(decision.outcome()) && rules.hasValues() && rules.whenNone() != CustomerRules.WhenNone.LEAVE;
        customer.put("create", create ? rules.whenNone().name().toLowerCase(java.util.Locale.ROOT) : null);
        customer.set("keys", json.valueToTree(rules.keys()));
        return customer.toString();
    }

    /**
     * The transcript file, unless Salesforce has it already: {@link SalesforceTranscript#file} with
     * {@code attach} false when a file of the same key exists, and {@code contentDocumentId} when an earlier
     * transcript of the case is there (the file then gets a new version rather than a second file).
     */
    public String transcriptFile(String transcriptFile, String lookupAnswer) throws IOException {
        ObjectNode file = (ObjectNode) json.readTree(transcriptFile);
        if (!file.path("attach").asBoolean()) {
            return file.toString();
        }
        JsonNode versions = records(lookupAnswer, TRANSCRIPT_FILES);
        for (JsonNode version : versions) {
            if (file.path("key").asText().equals(version.path(FILE_KEY_FIELD).asText())) {
                return json.createObjectNode().put("attach", false).put("attached", true).toString();
            }
        }
        if (!versions.isEmpty()) {
            file.put("contentDocumentId", versions.get(0).path("ContentDocumentId").asText());
        }
        return file.toString();
    }

    private CustomerRules rules(String customerRules) throws IOException, RejectedDeliveryException {
        if (customerRules == null) {
            return null;
        }
        try {
            return CustomerRules.from(json.readTree(customerRules), properties.customerMatching().phoneCountryCode());
        } catch (IllegalArgumentException e) {
            throw new RejectedDeliveryException("Salesforce customer rules " + properties.customerMatching().rules() + ": " + e.getMessage());
        }
    }

    /** The records a query of the lookup answered (Salesforce answered each query: errors were refused before). */
    private JsonNode records(String lookupAnswer, String referenceId) throws IOException {
        if (lookupAnswer == null) {
            return json.createArrayNode();
        }
        for (JsonNode answer : json.readTree(lookupAnswer).path("compositeResponse")) {
            if (referenceId.equals(answer.path("referenceId").asText())) {
                return answer.path("body").path("records");
            }
        }
        throw new IOException("Salesforce's lookup answer has no " + referenceId);
    }

    private String queryUrl(String soql) {
        return "/services/data/v" + properties.apiVersion() + "/query?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
