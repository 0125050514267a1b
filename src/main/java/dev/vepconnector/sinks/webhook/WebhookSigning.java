package dev.vepconnector.sinks.webhook;

import dev.vepconnector.sinks.SinkHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The webhook route's signing step ({@code routes/sink-webhook.yaml}): the Standard Webhooks headers
 * {@code webhook-id} (the record's {@code <caseId>:<revision>}, the same on every retry),
 * {@code webhook-timestamp} and, with a secret, {@code webhook-signature}; plus the configured static
 * headers. The body is signed as it will be sent, so no step after this one may change it.
 */
@Component("webhookSigning")
@ConditionalOnProperty(prefix = "vep.sinks.webhook", name = "enabled", havingValue = "true")
public class WebhookSigning {

    private final WebhookSinkProperties properties;
    private final WebhookSignature signature;
    private final Clock clock;

    WebhookSigning(WebhookSinkProperties properties, Clock clock) {
        if (properties.url() == null) {
            throw new IllegalStateException("vep.sinks.webhook.url is required when vep.sinks.webhook.enabled is true");
        }
        this.properties = properties;
        this.signature = properties.secret() == null || properties.secret().isBlank() ? null : new WebhookSignature(properties.secret());
        this.clock = clock;
    }

    public void sign(Exchange exchange) {
        Message message = exchange.getMessage();
        byte[] body = message.getBody(String.class).getBytes(StandardCharsets.UTF_8);
        String id = message.getHeader(SinkHeaders.IDEMPOTENCY_KEY, String.class);
        long timestamp = clock.instant().getEpochSecond();
        message.setBody(body);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader("webhook-id", id);
        message.setHeader("webhook-timestamp", Long.toString(timestamp));
        if (signature != null) {
            message.setHeader("webhook-signature", signature.sign(id, timestamp, body));
        }
        properties.headers().forEach(message::setHeader);
    }
}
