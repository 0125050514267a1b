package dev.vepconnector.sinks.webhook;

import dev.vepconnector.sinks.SinkRetry;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The webhook sink: POSTs each case record revision with Standard Webhooks headers.
 *
 * @param enabled        off by default
 * @param url            the receiver
 * @param urls           further receivers; each gets every record (a retry goes to all of them again:
 *                       receivers deduplicate by {@code webhook-id})
 * @param secret         signing secret, {@code whsec_<base64>} or a plain string; several, separated by
 *                       spaces, sign with each (key rotation)
 * @param headers        static headers added to every request (e.g. an API key)
 * @param connectTimeout connecting to the receiver
 * @param readTimeout    waiting for its answer
 * @param sslBundle      a Spring Boot SSL bundle whose trust material verifies the receiver (default: the JVM's CAs)
 * @param retry          retries on connection errors, timeouts, 5xx, 408 and 429
 */
@Validated
@ConfigurationProperties("vep.sinks.webhook")
public record WebhookSinkProperties(
        @DefaultValue("false") boolean enabled,
        URI url,
        @DefaultValue List<URI> urls,
        String secret,
        @DefaultValue Map<String, String> headers,
        @NotNull @DefaultValue("5s") Duration connectTimeout,
        @NotNull @DefaultValue("10s") Duration readTimeout,
        String sslBundle,
        @Valid @NotNull @DefaultValue SinkRetry retry) {

    /** Every receiver, {@code url} first. */
    public List<URI> receivers() {
        List<URI> all = new java.util.ArrayList<>();
        if (url != null) {
            all.add(url);
        }
        all.addAll(urls);
        return all;
    }
}
