package dev.vepconnector.sinks.webhook;

import dev.vepconnector.sinks.CaseRecordDelivery;
import dev.vepconnector.sinks.CaseRecordSink;
import dev.vepconnector.sinks.RejectedDeliveryException;
import dev.vepconnector.sinks.RetryLaterException;
import dev.vepconnector.sinks.SinkRetry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.stereotype.Component;

/**
 * POSTs each case record revision to the configured receivers with the Standard Webhooks headers:
 * {@code webhook-id} ({@code <caseId>:<revision>}, the same on every retry), {@code webhook-timestamp}
 * and, with a secret, {@code webhook-signature}. 2xx is delivered; connection errors, timeouts, 5xx,
 * 408 and 429 are retried (honouring {@code Retry-After}); any other answer is a refusal, kept with its
 * status and body in the sink's dead letters.
 */
@Component
@ConditionalOnProperty(prefix = "vep.sinks.webhook", name = "enabled", havingValue = "true")
class WebhookSink implements CaseRecordSink {

    private static final int MAX_ERROR_BODY = 500;

    private final WebhookSinkProperties properties;
    private final WebhookSignature signature;
    private final HttpClient http;
    private final Clock clock;

    WebhookSink(WebhookSinkProperties properties, SslBundles sslBundles, Clock clock) {
        if (properties.receivers().isEmpty()) {
            throw new IllegalStateException("vep.sinks.webhook.url is required when vep.sinks.webhook.enabled is true");
        }
        this.properties = properties;
        this.signature = properties.secret() == null || properties.secret().isBlank() ? null : new WebhookSignature(properties.secret());
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (properties.sslBundle() != null) {
            builder.sslContext(sslBundles.getBundle(properties.sslBundle()).createSslContext());
        }
        this.http = builder.build();
        this.clock = clock;
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public SinkRetry retry() {
        return properties.retry();
    }

    @Override
    public void deliver(CaseRecordDelivery delivery) throws IOException, InterruptedException, RetryLaterException,
            RejectedDeliveryException {
        byte[] body = delivery.json().getBytes(StandardCharsets.UTF_8);
        long timestamp = clock.instant().getEpochSecond();
        for (URI receiver : properties.receivers()) {
            post(receiver, delivery.idempotencyKey(), timestamp, body);
        }
    }

    private void post(URI receiver, String id, long timestamp, byte[] body) throws IOException, InterruptedException,
            RetryLaterException, RejectedDeliveryException {
        HttpRequest.Builder request = HttpRequest.newBuilder(receiver).timeout(properties.readTimeout())
                .header("Content-Type", "application/json")
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("webhook-signature", signature.sign(id, timestamp, body));
        }
        properties.headers().forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status / 100 == 2) {
            return;
        }
        String answer = "HTTP " + status + " from " + receiver.getHost() + ": " + truncate(response.body());
        if (status >= 500 || status == 408 || status == 429) {
            Duration after = retryAfter(response);
            if (after != null) {
                throw new RetryLaterException(answer, after);
            }
            throw new IOException(answer);
        }
        throw new RejectedDeliveryException(answer);
    }

    /** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
    private Duration retryAfter(HttpResponse<?> response) {
        String value = response.headers().firstValue("Retry-After").orElse(null);
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            try {
                Duration until = Duration.between(clock.instant(), ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    private static String truncate(String body) {
        if (body == null || body.isBlank()) {
            return "(no body)";
        }
        return body.length() <= MAX_ERROR_BODY ? body : body.substring(0, MAX_ERROR_BODY) + "...";
    }
}
