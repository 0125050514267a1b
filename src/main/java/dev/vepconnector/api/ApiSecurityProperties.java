package dev.vepconnector.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may use the HTTP API and the dashboard. Health, info and Prometheus metrics are always open (probes
 * and scrapers); everything else needs HTTP Basic credentials, unless {@code public-read} opens reading.
 *
 * @param publicRead the dashboard and GET /api/** without credentials (the demo; never where case records
 *                   hold personal data)
 * @param viewer     may read: the dashboard and GET /api/**
 * @param admin      may also act: POST /api/** (replay dead letters, agent collect)
 */
@Validated
@ConfigurationProperties("vep.security")
public record ApiSecurityProperties(
        @DefaultValue("false") boolean publicRead,
        @Valid @NotNull @DefaultValue User viewer,
        @Valid @NotNull @DefaultValue User admin) {

    /**
     * @param username the user name
     * @param password the password, plain or with a Spring Security encoding prefix ({@code {bcrypt}...});
     *                 unset: this user cannot sign in
     */
    public record User(String username, String password) {

        boolean canSignIn() {
            return username != null && !username.isBlank() && password != null && !password.isBlank();
        }
    }
}
