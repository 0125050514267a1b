package dev.vepconnector.monitoring;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Queue monitoring.
 *
 * @param refreshInterval how often a replica picks up group state stored by other replicas
 * @param historyInterval how often each group's figures are sampled for the dashboard's charts
 * @param historySize     samples kept per group (180 at 10s: half an hour)
 * @param forward         optional forwarding of group snapshots to a webhook
 * @param serviceLevelTarget a case answered (opened) within this long after it entered the group's queue
 *                        counts as answered within target
 * @param timeZone        where "today" of the supervisor figures starts, at midnight (e.g. Europe/Stockholm)
 * @param thresholds      when a group's status is warning or alert
 */
@Validated
@ConfigurationProperties("vep.monitoring")
public record MonitoringProperties(
        @NotNull @DefaultValue("2s") Duration refreshInterval,
        @NotNull @DefaultValue("10s") Duration historyInterval,
        @Min(1) @Max(10_000) @DefaultValue("180") int historySize,
        @Valid @NotNull @DefaultValue Forward forward,
        @NotNull @DefaultValue("60s") Duration serviceLevelTarget,
        @NotNull @DefaultValue("UTC") ZoneId timeZone,
        @Valid @NotNull @DefaultValue @NestedConfigurationProperty GroupThresholds thresholds) {

    @AssertTrue(message = "vep.monitoring.service-level-target must be a positive duration")
    public boolean isServiceLevelTargetPositive() {
        return serviceLevelTarget == null || !(serviceLevelTarget.isNegative() || serviceLevelTarget.isZero());
    }

    /**
     * @param enabled  off by default
     * @param url      where snapshots are POSTed
     * @param interval at most one snapshot per interval (6.5: events in between are counted, not lost)
     * @param headers  static headers, e.g. an API key
     * @param timeout  connect and read timeout
     */
    public record Forward(
            @DefaultValue("false") boolean enabled,
            URI url,
            @NotNull @DefaultValue("10s") Duration interval,
            @DefaultValue Map<String, String> headers,
            @NotNull @DefaultValue("5s") Duration timeout) {
    }
}
