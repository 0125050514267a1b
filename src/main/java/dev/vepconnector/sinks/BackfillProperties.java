package dev.vepconnector.sinks;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Backfills ({@code POST /api/sinks/{sink}/backfill}): the stored records of a range queued again for a sink.
 * (Not under {@code vep.sinks}, where every block is a sink.)
 *
 * @param batchSize stored record revisions looked at per transaction of the queuing: a large range is
 *                  queued in many small transactions, none holding locks for long
 * @param interval  how often each replica looks for a backfill to queue or to finish
 */
@Validated
@ConfigurationProperties("vep.backfill")
public record BackfillProperties(
        @Min(10) @Max(10_000) @DefaultValue("500") int batchSize,
        @NotNull @DefaultValue("1s") Duration interval) {

    @AssertTrue(message = "vep.backfill.interval must be a positive duration")
    public boolean isIntervalPositive() {
        return interval == null || !(interval.isNegative() || interval.isZero());
    }
}
