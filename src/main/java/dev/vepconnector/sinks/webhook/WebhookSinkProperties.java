package dev.vepconnector.sinks.webhook;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The webhook sink ({@code routes/sink-webhook.yaml}): POSTs each case record revision with Standard
 * Webhooks headers. {@code enabled}, {@code concurrency} and {@code retry} are every sink's
 * ({@code vep.sinks.<name>.*}); a second receiver is a second sink (a copy of the route consuming
 * {@code vep-sink:<another name>}), so each has its own queue, retries and dead letters.
 *
 * @param url            the receiver
 * @param secret         signing secret, {@code whsec_<base64>} or a plain string; several, separated by
 *                       spaces, sign with each (key rotation)
 * @param headers        static headers added to every request (e.g. an API key)
 * @param connectTimeout connecting to the receiver
 * @param readTimeout    waiting for its answer
 * @param sslBundle      a Spring Boot SSL bundle whose trust material verifies the receiver (default: the JVM's CAs)
 */
@Validated
@ConfigurationProperties("vep.sinks.webhook")
public record WebhookSinkProperties(
        URI url,
        String secret,
        @DefaultValue Map<String, String> headers,
        @NotNull @DefaultValue("5s") Duration connectTimeout,
        @NotNull @DefaultValue("10s") Duration readTimeout,
        String sslBundle) {
}
