package dev.vepconnector.sinks;

import java.time.Duration;

/** The peer is busy and said when to come back (HTTP 429/503 with Retry-After). */
public class RetryLaterException extends Exception {

    private final Duration after;

    public RetryLaterException(String message, Duration after) {
        super(message);
        this.after = after;
    }

    public Duration after() {
        return after;
    }
}
