package dev.vepconnector.sinks;

import java.time.Duration;

/**
 * What a failed delivery means: refused (retrying cannot help: the record goes to the sink's dead
 * letters at once), or worth another attempt, perhaps at a time the peer named.
 *
 * @param description what went wrong, as the dead letters and the log show it
 * @param refused     true: no retry
 * @param retryAfter  when the peer asked to come back (null: the sink's backoff decides)
 */
public record SinkFailure(String description, boolean refused, Duration retryAfter) {

    public static SinkFailure refused(String description) {
        return new SinkFailure(description, true, null);
    }

    public static SinkFailure retry(String description) {
        return new SinkFailure(description, false, null);
    }

    public static SinkFailure retryAfter(String description, Duration after) {
        return new SinkFailure(description, false, after);
    }
}
