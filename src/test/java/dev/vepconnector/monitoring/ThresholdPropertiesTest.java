package dev.vepconnector.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.annotation.UserConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * Thresholds as an operator writes them ({@code vep.monitoring.thresholds.*}), bound and validated as at start:
 * contradictory ones and ones out of range stop the start with a message naming the property to fix, for the
 * default limits and for a group's own alike.
 */
class ThresholdPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(MonitoringProperties.class)
    static class Bound {
    }

    final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(UserConfigurations.of(Bound.class));

    @Test
    void consistentThresholdsBindForTheDefaultAndAGroup() {
        runner.withPropertyValues("vep.monitoring.thresholds.default.visitors-in-queue-warning=2",
                "vep.monitoring.thresholds.default.visitors-in-queue-alert=3",
                "vep.monitoring.thresholds.groups.Sales.visitors-in-queue-alert=10",
                "vep.monitoring.thresholds.groups.Sales.longest-wait-alert=5m",
                "vep.monitoring.thresholds.groups.Sales.service-level-warning=0.8").run(context -> {
            assertThat(context).hasNotFailed();
            GroupThresholds thresholds = context.getBean(MonitoringProperties.class).thresholds();
            assertThat(thresholds.of("g-sales", "Sales").visitorsInQueueAlert()).isEqualTo(10);
            assertThat(thresholds.of("g-sales", "Sales").visitorsInQueueWarning()).as("from the default").isEqualTo(2);
        });
    }

    @Test
    void aDefaultAlertNoStricterThanItsWarningStopsTheStartNamingBothProperties() {
        startFailure("vep.monitoring.thresholds.default.visitors-in-queue-warning=5",
                "vep.monitoring.thresholds.default.visitors-in-queue-alert=5")
                .hasMessageContaining("vep.monitoring.thresholds.default.visitors-in-queue-alert (5) must be above "
                        + "vep.monitoring.thresholds.default.visitors-in-queue-warning (5)");
        startFailure("vep.monitoring.thresholds.default.service-level-warning=0.6",
                "vep.monitoring.thresholds.default.service-level-alert=0.8")
                .hasMessageContaining("vep.monitoring.thresholds.default.service-level-alert (0.8) must be below "
                        + "vep.monitoring.thresholds.default.service-level-warning (0.6)");
    }

    @Test
    void aGroupsAlertMilderThanTheWarningItInheritsStopsTheStartNamingWhereEachComesFrom() {
        startFailure("vep.monitoring.thresholds.default.longest-wait-warning=2m",
                "vep.monitoring.thresholds.groups.Sales.longest-wait-alert=90s")
                .hasMessageContaining("vep.monitoring.thresholds.groups.Sales.longest-wait-alert (1m 30s) must be longer than "
                        + "vep.monitoring.thresholds.default.longest-wait-warning (2m)");
    }

    @Test
    void aGroupsLimitsHaveTheSameRangesAsTheDefaults() {
        // Range errors name the property as Spring Boot's start report does: vep.monitoring.thresholds.groups[Sales].visitorsInQueueWarning
        startFailure("vep.monitoring.thresholds.groups.Sales.visitors-in-queue-warning=0")
                .hasMessageContaining("thresholds.groups[Sales].visitorsInQueueWarning")
                .hasMessageContaining("must be greater than or equal to 1");
        startFailure("vep.monitoring.thresholds.groups.Sales.service-level-alert=1.5")
                .hasMessageContaining("thresholds.groups[Sales].serviceLevelAlert")
                .hasMessageContaining("must be less than or equal to 1");
        startFailure("vep.monitoring.thresholds.default.service-level-warning=-0.1")
                .hasMessageContaining("thresholds.defaults.serviceLevelWarning")
                .hasMessageContaining("must be greater than or equal to 0");
        startFailure("vep.monitoring.thresholds.groups.Sales.longest-wait-warning=0s")
                .hasMessageContaining("vep.monitoring.thresholds.groups.Sales.longest-wait-warning must be a positive duration");
    }

    /** The failure of a start with these properties, with every cause's message (as the start's report shows them). */
    private AbstractThrowableAssert<?, ? extends Throwable> startFailure(String... properties) {
        Throwable[] failure = new Throwable[1];
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            failure[0] = context.getStartupFailure();
        });
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure[0]; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return assertThat(new IllegalStateException(messages.toString()));
    }
}
