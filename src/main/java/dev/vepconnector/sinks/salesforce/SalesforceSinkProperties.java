package dev.vepconnector.sinks.salesforce;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Salesforce sink ({@code routes/sink-salesforce.yaml}): each case record revision becomes one
 * Composite API call, shaped by the jq program in {@code mapping}. {@code enabled}, {@code concurrency}
 * and {@code retry} are every sink's ({@code vep.sinks.<name>.*}).
 *
 * @param loginUrl      the org's My Domain URL (required for client credentials) or https://login.salesforce.com
 * @param apiVersion    REST API version
 * @param auth          server-to-server OAuth
 * @param mapping       the jq program turning a case record into the Composite request, as a resource:
 *                      {@code classpath:routes/salesforce-case.jq} (the jar's copy) or
 *                      {@code file:/etc/vep-connector/routes/salesforce-case.jq} (an edited one)
 * @param slowDownAt    share of the org's daily API limit (Sforce-Limit-Info) at which the sink pauses
 * @param slowDownPause how long it pauses then
 * @param customerMatching linking each Case to the visitor's Contact (rules in a jq file)
 * @param activity      a completed Task per conversation, on the Contact's and the Case's timelines
 * @param transcript    the transcript field's size; a longer transcript is cut there and attached whole as a file
 */
@Validated
@ConfigurationProperties("vep.sinks.salesforce")
public record SalesforceSinkProperties(
        @NotBlank @DefaultValue("https://login.salesforce.com") String loginUrl,
        @NotBlank @DefaultValue("62.0") String apiVersion,
        @Valid @NotNull @DefaultValue Auth auth,
        @NotBlank @DefaultValue("classpath:routes/salesforce-case.jq") String mapping,
        @DecimalMin("0.1") @DecimalMax("1.0") @DefaultValue("0.9") double slowDownAt,
        @NotNull @DefaultValue("5m") Duration slowDownPause,
        @Valid @NotNull @DefaultValue CustomerMatching customerMatching,
        @Valid @NotNull @DefaultValue Activity activity,
        @Valid @NotNull @DefaultValue Transcript transcript) {

    public enum Flow { JWT, CLIENT_CREDENTIALS }

    /** Whether each conversation becomes a Task: as configured, else whenever customer matching is on. */
    public boolean activityEnabled() {
        return activity.enabled() != null ? activity.enabled() : customerMatching.enabled();
    }

    /**
     * @param enabled          look up the visitor's Contact for every record (one lookup call per record that
     *                         has a value to look for)
     * @param rules            the jq program giving a record's rules and what happens when no Contact matches:
     *                         {@code classpath:routes/salesforce-customer.jq} (the jar's) or an edited copy
     * @param phoneCountryCode the country calling code of phone numbers written without one ({@code 46}: 070 123 45 67
     *                         is +46701234567); unset, such numbers only match a number written with the same digits
     */
    public record CustomerMatching(
            @DefaultValue("true") boolean enabled,
            @NotBlank @DefaultValue("classpath:routes/salesforce-customer.jq") String rules,
            @Pattern(regexp = "[1-9][0-9]{0,2}", message = "is a country calling code: 1 to 3 digits, without + or 00") String phoneCountryCode) {
    }

    /**
     * @param enabled a completed Task per conversation, upserted by VEP_Interaction_Id__c (default: on when
     *                customer matching is on)
     */
    public record Activity(Boolean enabled) {
    }

    /**
     * @param fieldLength the length of the field the mapping puts the transcript in (131,072 for a Long Text Area
     *                    of the largest size): a longer transcript is cut there, at a message, and attached whole
     *                    to the Case as a file
     */
    public record Transcript(@Min(1000) @Max(131_072) @DefaultValue("131072") int fieldLength) {
    }

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
}
