package dev.vepconnector.sinks;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.springframework.stereotype.Component;

/**
 * How the delivery queue reads an exception a sink route ended with. A {@link RejectedDeliveryException}
 * is a refusal and a {@link RetryLaterException} names its own time. An HTTP answer (camel-http's
 * {@link HttpOperationFailedException}) is refused when it is a 4xx other than 408 and 429, and retried
 * otherwise, honouring {@code Retry-After}. Anything else (a connection refused, a timeout, a full disk)
 * is retried with the sink's backoff.
 */
@Component
public class SinkFailures {

    private static final int MAX_ERROR_BODY = 500;

    private final List<SinkFailureClassifier> classifiers;
    private final Clock clock;

    SinkFailures(List<SinkFailureClassifier> classifiers, Clock clock) {
        this.classifiers = classifiers;
        this.clock = clock;
    }

    public SinkFailure classify(Throwable failure) {
        for (SinkFailureClassifier classifier : classifiers) {
            SinkFailure known = classifier.classify(failure);
            if (known != null) {
                return known;
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RejectedDeliveryException refused) {
                return SinkFailure.refused(refused.getMessage());
            }
            if (cause instanceof RetryLaterException later) {
                return SinkFailure.retryAfter(later.getMessage(), later.after());
            }
            if (cause instanceof HttpOperationFailedException http) {
                return classify(http);
            }
        }
        return SinkFailure.retry(describe(failure));
    }

    private SinkFailure classify(HttpOperationFailedException http) {
        int status = http.getStatusCode();
        String answer = "HTTP " + status + " from " + host(http.getUri()) + ": " + truncate(http.getResponseBody());
        if (status >= 500 || status == 408 || status == 429 || status < 400) {
            return SinkFailure.retryAfter(answer, retryAfter(http.getResponseHeaders()));
        }
        return SinkFailure.refused(answer);
    }

    /** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
    Duration retryAfter(Map<String, String> headers) {
        String value = headers == null ? null : headers.entrySet().stream()
                .filter(header -> header.getKey().equalsIgnoreCase("Retry-After")).map(Map.Entry::getValue).findFirst().orElse(null);
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

    /** The innermost message worth reading: Camel wraps a step's exception in its own. */
    static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root
                && (root instanceof org.apache.camel.CamelException || root instanceof org.apache.camel.RuntimeCamelException)) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String host(String uri) {
        try {
            String host = URI.create(uri).getHost();
            return host == null ? uri : host;
        } catch (IllegalArgumentException e) {
            return "the receiver";
        }
    }

    private static String truncate(String body) {
        if (body == null || body.isBlank()) {
            return "(no body)";
        }
        return body.length() <= MAX_ERROR_BODY ? body : body.substring(0, MAX_ERROR_BODY) + "...";
    }
}
