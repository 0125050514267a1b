package dev.vepconnector.sinks;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What every sink has, whatever its route does: {@code vep.sinks.<name>.enabled}, {@code .concurrency}
 * and {@code .retry.*}. A sink's own settings (a URL, a folder) sit beside these in the same block and
 * are read by its route and beans.
 *
 * @param sinks one block per sink, by the name its route consumes ({@code vep-sink:<name>})
 */
@Validated
@ConfigurationProperties("vep")
public record SinksProperties(@Valid @DefaultValue Map<String, Sink> sinks) {

    /**
     * @param enabled     off: nothing is queued for the sink and its route does not consume
     * @param concurrency records handed to the route at once (of different cases: a case's revisions
     *                    always go one at a time, in order)
     * @param retry       how failed deliveries are retried before they become the sink's dead letters
     * @param erasureNotices whether the sink's route is told when a case is erased (an exchange with header
     *                    {@code vepErasure}), to remove its copy; off for a route that does not look for it
     */
    public record Sink(
            @DefaultValue("false") boolean enabled,
            @Min(1) @Max(64) @DefaultValue("1") int concurrency,
            @Valid @NotNull @DefaultValue SinkRetry retry,
            @DefaultValue("false") boolean erasureNotices) {
    }

    /** The names of the sinks switched on, in configuration order. */
    public List<String> enabledSinks() {
        return sinks.entrySet().stream().filter(sink -> sink.getValue().enabled()).map(Map.Entry::getKey).toList();
    }

    /** The settings of the named sink; a sink with no block at all is off. */
    public Sink sink(String name) {
        Sink sink = sinks.get(name);
        return sink != null ? sink : new Sink(false, 1, SinkRetry.defaults(), false);
    }
}
