package dev.vepconnector.sinks;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Retries of a sink's failed deliveries ({@code vep.sinks.<name>.retry.*}): exponential backoff with
 * jitter, then the sink's dead letters.
 *
 * @param maxAttempts    attempts before a record is dead-lettered
 * @param initialBackoff the pause after the first failure
 * @param maxBackoff     the longest pause
 * @param multiplier     growth of the pause per failure
 * @param jitter         random share added to or taken from each pause (0.2: plus or minus 20%)
 */
public record SinkRetry(
        @Min(1) @DefaultValue("10") int maxAttempts,
        @NotNull @DefaultValue("1s") Duration initialBackoff,
        @NotNull @DefaultValue("5m") Duration maxBackoff,
        @DecimalMin("1.0") @DefaultValue("2.0") double multiplier,
        @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.2") double jitter) {

    /** The defaults, for a sink configured with nothing but its name. */
    public static SinkRetry defaults() {
        return new SinkRetry(10, Duration.ofSeconds(1), Duration.ofMinutes(5), 2.0, 0.2);
    }

    /** The pause before attempt {@code failedAttempts + 1}. */
    public Duration backoffAfter(int failedAttempts) {
        double base = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, failedAttempts - 1));
        double capped = Math.min(base, maxBackoff.toMillis());
        double spread = capped * jitter * (ThreadLocalRandom.current().nextDouble() * 2 - 1);
        return Duration.ofMillis(Math.max(0, Math.round(capped + spread)));
    }
}
