package dev.vepconnector.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vepconnector.monitoring.GroupThresholds.Limits;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A group's status and its reasons from its limits; limits that contradict themselves are refused. */
class GroupStatusTest {

    static final Limits DEFAULTS = new Limits(2L, 3L, Duration.ofMinutes(2), Duration.ofMinutes(5), 0.8, 0.6);

    @Test
    void eachFigureAtOrOverItsLimitSetsTheStatusWithAReason() {
        assertThat(GroupStatus.judge(DEFAULTS, 1L, 60_000L, 0.9)).isEqualTo(new GroupStatus.Judgement(GroupStatus.OK, java.util.List.of()));
        assertThat(GroupStatus.judge(DEFAULTS, 4L, 60_000L, 0.9).reasons()).containsExactly("4 waiting (alert at 3)");
        var mixed = GroupStatus.judge(DEFAULTS, 2L, 125_000L, 0.7999);
        assertThat(mixed.status()).isEqualTo(GroupStatus.WARNING);
        assertThat(mixed.reasons()).containsExactly("2 waiting (warning at 2)", "longest wait 2m 5s (warning at 2m)",
                "service level 79.9% today (warning below 80%)");
        assertThat(GroupStatus.judge(DEFAULTS, 0L, 0L, 0.5).status()).isEqualTo(GroupStatus.ALERT);
    }

    @Test
    void nothingAnsweredOrNotReportedSetsNoStatus() {
        assertThat(GroupStatus.judge(DEFAULTS, null, null, null).status()).isEqualTo(GroupStatus.OK);
        assertThat(GroupStatus.judge(Limits.NONE, 100L, 3_600_000L, 0.0).status()).isEqualTo(GroupStatus.OK);
    }

    @Test
    void aGroupsOwnLimitsReplaceSingleDefaultsByNameOrId() {
        GroupThresholds thresholds = new GroupThresholds(DEFAULTS, Map.of("Orders", new Limits(null, 10L, null, null, null, null),
                "g-2", new Limits(5L, 6L, null, null, null, null)));

        assertThat(thresholds.of("g-1", "Orders")).isEqualTo(new Limits(2L, 10L, Duration.ofMinutes(2), Duration.ofMinutes(5), 0.8, 0.6));
        assertThat(thresholds.of("g-2", "Billing").visitorsInQueueWarning()).isEqualTo(5);
        assertThat(thresholds.of("g-3", null)).isEqualTo(DEFAULTS);
    }

    @Test
    void anAlertLimitMilderThanItsWarningIsRefused() {
        assertThatThrownBy(() -> new GroupThresholds(new Limits(3L, 2L, null, null, 0.6, 0.8), Map.of()))
                .hasMessageContaining("vep.monitoring.thresholds.default.visitors-in-queue-alert (2) must be above "
                        + "vep.monitoring.thresholds.default.visitors-in-queue-warning (3)")
                .hasMessageContaining("service-level-alert (0.8) must be below vep.monitoring.thresholds.default.service-level-warning (0.6)");
        assertThatThrownBy(() -> new GroupThresholds(DEFAULTS, Map.of("Orders", new Limits(null, 1L, null, null, null, null))))
                .hasMessageContaining("vep.monitoring.thresholds.groups.Orders.visitors-in-queue-alert (1) must be above "
                        + "vep.monitoring.thresholds.default.visitors-in-queue-warning (2)");
        assertThatThrownBy(() -> new GroupThresholds(new Limits(null, null, Duration.ofMinutes(3), Duration.ofMinutes(1), null, null), Map.of()))
                .hasMessageContaining("longest-wait-alert (1m) must be longer than vep.monitoring.thresholds.default.longest-wait-warning (3m)");
    }

    @Test
    void durationsReadAsASupervisorSaysThem() {
        assertThat(GroupStatus.duration(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(GroupStatus.duration(Duration.ofSeconds(3700))).isEqualTo("1h 1m 40s");
        assertThat(GroupStatus.percent(0.8)).isEqualTo("80%");
    }
}
