package dev.vepconnector.sinks.salesforce;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Salesforce sink: each case record revision upserts a Case by an external-id field, with its
 * fields mapped from the record, and its transcript stored readably.
 *
 * @param loginUrl   the org's My Domain URL (required for client credentials) or https://login.salesforce.com
 * @param apiVersion REST API version
 * @param auth       server-to-server OAuth
 * @param caseObject how the Case is upserted and filled
 * @param transcript where the transcript goes
 * @param slowDownAt share of the org's daily API limit (Sforce-Limit-Info) at which the sink pauses
 * @param slowDownPause how long it pauses then
 */
@Validated
@ConfigurationProperties("vep.sinks.salesforce")
public record SalesforceSinkProperties(
        @NotBlank @DefaultValue("https://login.salesforce.com") String loginUrl,
        @NotBlank @DefaultValue("62.0") String apiVersion,
        @Valid @NotNull @DefaultValue Auth auth,
        @Valid @NotNull @DefaultValue CaseObject caseObject,
        @Valid @NotNull @DefaultValue Transcript transcript,
        @DecimalMin("0.1") @DecimalMax("1.0") @DefaultValue("0.9") double slowDownAt,
        @NotNull @DefaultValue("5m") Duration slowDownPause) {

    public enum Flow { JWT, CLIENT_CREDENTIALS }

    /**
     * @param flow             {@code jwt} (a connected app with a certificate; the key signs an assertion for
     *                         {@code username}) or {@code client-credentials} (a connected app's run-as user)
     * @param clientId         the connected app's consumer key
     * @param clientSecret     its consumer secret (client credentials)
     * @param username         the user the JWT is issued for
     * @param keystore         PKCS#12 key store holding the JWT signing key (a Spring resource: {@code file:...})
     * @param keystorePassword its password
     */
    public record Auth(
            @NotNull @DefaultValue("jwt") Flow flow,
            String clientId,
            String clientSecret,
            String username,
            String keystore,
            String keystorePassword) {
    }

    /**
     * @param externalIdField the Case field holding {@code caseId}, marked External ID and Unique in Salesforce
     * @param fields          Case field to value: a path into the case record ({@code caseType.name},
     *                        {@code assignments[-1].agent.externalIds.Salesforce}), a literal in single quotes
     *                        ({@code 'Chat'}), or a path through a value map ({@code outcome -> status})
     * @param valueMaps       named maps from record values to Salesforce values (picklists)
     */
    public record CaseObject(
            @NotBlank @DefaultValue("VEP_Case_Id__c") String externalIdField,
            @DefaultValue Map<String, String> fields,
            @DefaultValue Map<String, Map<String, String>> valueMaps) {
    }

    public enum TranscriptMode { CASE_FIELD, RELATED_RECORD, NONE }

    /**
     * @param mode            {@code case-field} (default: a long text field on the Case), {@code related-record}
     *                        (a record of its own, upserted by its own external id), or {@code none}
     * @param field           the Case's long text field (case-field)
     * @param object          the related object, e.g. {@code VEP_Transcript__c} or {@code LiveChatTranscript}
     * @param externalIdField the related object's external-id field (it gets {@code caseId})
     * @param bodyField       the related object's text field
     * @param caseLookup      the related object's relationship to Case, e.g. {@code Case__r} or {@code Case}
     * @param maxLength       longest text stored (a long text area holds 131,072 characters)
     */
    public record Transcript(
            @NotNull @DefaultValue("case-field") TranscriptMode mode,
            @DefaultValue("VEP_Transcript__c") String field,
            String object,
            @DefaultValue("VEP_Transcript_Id__c") String externalIdField,
            @DefaultValue("Body__c") String bodyField,
            @DefaultValue("Case__r") String caseLookup,
            @DefaultValue("131072") int maxLength) {
    }
}
