package dev.vepconnector.sinks.salesforce;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Large backfills of the Salesforce sink through the Bulk API 2.0 ({@code routes/salesforce-bulk-backfill.yaml}),
 * beside the sink's other settings in {@code vep.sinks.salesforce}.
 *
 * @param bulkBackfillAbove a backfill of more cases than this goes as Bulk API upsert jobs of the Cases instead of a
 *                          Composite call per record (0: every backfill)
 * @param bulkJobSize       records per Bulk API job (a job also stops at 16 million characters of stored records:
 *                          far within the 150 MB Salesforce takes per upload, and within memory while it is uploaded)
 * @param bulkPollInterval  how often a job Salesforce works on is looked at, and how often each replica looks for a
 *                          job to upload
 */
@Validated
@ConfigurationProperties("vep.sinks.salesforce")
public record SalesforceBulkProperties(
        @Min(0) @DefaultValue("1000") int bulkBackfillAbove,
        @Min(1) @Max(150_000) @DefaultValue("2000") int bulkJobSize,
        @NotNull @DefaultValue("5s") Duration bulkPollInterval) {

    @AssertTrue(message = "vep.sinks.salesforce.bulk-poll-interval must be a positive duration")
    public boolean isPollIntervalPositive() {
        return bulkPollInterval == null || !(bulkPollInterval.isNegative() || bulkPollInterval.isZero());
    }
}
