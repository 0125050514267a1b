package dev.vepconnector.sinks.salesforce;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
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
 */
@Validated
@ConfigurationProperties("vep.sinks.salesforce")
public record SalesforceSinkProperties(
        @NotBlank @DefaultValue("https://login.salesforce.com") String loginUrl,
        @NotBlank @DefaultValue("62.0") String apiVersion,
        @Valid @NotNull @DefaultValue Auth auth,
        @NotBlank @DefaultValue("classpath:routes/salesforce-case.jq") String mapping,
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
}
