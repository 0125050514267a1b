package dev.vepconnector.monitoring;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

/**
 * When a group's status is warning or alert ({@code vep.monitoring.thresholds.*}): limits for every
 * group, and per group (by its configured name, or its id) limits that replace single ones of them.
 *
 * @param defaults the limits of every group ({@code vep.monitoring.thresholds.default.*})
 * @param groups   per group name (or id), limits that replace the defaults' ones they set
 */
public record GroupThresholds(
        @Name("default") @DefaultValue @Valid Limits defaults,
        @DefaultValue Map<String, @Valid Limits> groups) {

    private static final String PREFIX = "vep.monitoring.thresholds.";
    private static final String DEFAULT_PREFIX = PREFIX + "default.";

    /**
     * Limits of one group; each is optional (unset: that figure never sets the status). Visitors and the
     * longest wait reach a status at the limit; the service level (today's) below it.
     *
     * @param visitorsInQueueWarning visitors waiting from which the group is at warning
     * @param visitorsInQueueAlert   visitors waiting from which the group is at alert
     * @param longestWaitWarning     longest wait (as VEP reports it) from which the group is at warning
     * @param longestWaitAlert       longest wait from which the group is at alert
     * @param serviceLevelWarning    today's service level (0..1) below which the group is at warning
     * @param serviceLevelAlert      today's service level (0..1) below which the group is at alert
     */
    public record Limits(
            @Min(1) Long visitorsInQueueWarning,
            @Min(1) Long visitorsInQueueAlert,
            Duration longestWaitWarning,
            Duration longestWaitAlert,
            @DecimalMin("0") @DecimalMax("1") Double serviceLevelWarning,
            @DecimalMin("0") @DecimalMax("1") Double serviceLevelAlert) {

        static final Limits NONE = new Limits(null, null, null, null, null, null);

        /** These limits, each unset one taken from {@code defaults}. */
        Limits over(Limits defaults) {
            return new Limits(first(visitorsInQueueWarning, defaults.visitorsInQueueWarning), first(visitorsInQueueAlert, defaults.visitorsInQueueAlert),
                    first(longestWaitWarning, defaults.longestWaitWarning), first(longestWaitAlert, defaults.longestWaitAlert),
                    first(serviceLevelWarning, defaults.serviceLevelWarning), first(serviceLevelAlert, defaults.serviceLevelAlert));
        }

        /**
         * What is wrong with them: an alert limit no stricter than its warning, a duration not positive; each
         * names the properties to fix, as {@code property} spells them.
         */
        List<String> problems(UnaryOperator<String> property) {
            List<String> problems = new ArrayList<>();
            if (visitorsInQueueWarning != null && visitorsInQueueAlert != null && visitorsInQueueAlert <= visitorsInQueueWarning) {
                problems.add(property.apply("visitors-in-queue-alert") + " (" + visitorsInQueueAlert + ") must be above "
                        + property.apply("visitors-in-queue-warning") + " (" + visitorsInQueueWarning + ")");
            }
            List<String> notPositive = Stream.of("longest-wait-warning", "longest-wait-alert").filter(name -> {
                Duration d = (Duration) value(name);
                return d != null && (d.isNegative() || d.isZero());
            }).toList();
            notPositive.forEach(name -> problems.add(property.apply(name) + " must be a positive duration"));
            if (notPositive.isEmpty() && longestWaitWarning != null && longestWaitAlert != null
                    && longestWaitAlert.compareTo(longestWaitWarning) <= 0) {
                problems.add(property.apply("longest-wait-alert") + " (" + GroupStatus.duration(longestWaitAlert) + ") must be longer than "
                        + property.apply("longest-wait-warning") + " (" + GroupStatus.duration(longestWaitWarning) + ")");
            }
            if (serviceLevelWarning != null && serviceLevelAlert != null && serviceLevelAlert >= serviceLevelWarning) {
                problems.add(property.apply("service-level-alert") + " (" + serviceLevelAlert + ") must be below "
                        + property.apply("service-level-warning") + " (" + serviceLevelWarning + ")");
            }
            return problems;
        }

        /** The limit of that property name ({@code visitors-in-queue-alert}), or null when unset. */
        private Object value(String property) {
            return switch (property) {
                case "visitors-in-queue-warning" -> visitorsInQueueWarning;
                case "visitors-in-queue-alert" -> visitorsInQueueAlert;
                case "longest-wait-warning" -> longestWaitWarning;
                case "longest-wait-alert" -> longestWaitAlert;
                case "service-level-warning" -> serviceLevelWarning;
                case "service-level-alert" -> serviceLevelAlert;
                default -> throw new IllegalArgumentException(property);
            };
        }

        private static <T> T first(T value, T fallback) {
            return value != null ? value : fallback;
        }
    }

    public GroupThresholds {
        defaults = defaults == null ? Limits.NONE : defaults;
        groups = groups == null ? Map.of() : Map.copyOf(groups);
        List<String> problems = problems(defaults, groups);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Thresholds that cannot work: " + String.join("; ", problems));
        }
    }

    /** The limits of a group: its own (by name, else by id) over the defaults. */
    Limits of(String groupId, String name) {
        Limits own = name != null && groups.containsKey(name) ? groups.get(name) : groups.get(groupId);
        return own == null ? defaults : own.over(defaults);
    }

    /**
     * The problems of the defaults, and of each group's limits as they apply (its own over the defaults), each
     * naming the property where the limit comes from: the group's own or the default it inherits.
     */
    private static List<String> problems(Limits defaults, Map<String, Limits> groups) {
        List<String> problems = new ArrayList<>(defaults.problems(name -> DEFAULT_PREFIX + name));
        groups.forEach((group, own) -> {
            String groupPrefix = PREFIX + "groups." + group + ".";
            own.over(defaults).problems(name -> (own.value(name) != null ? groupPrefix : DEFAULT_PREFIX) + name).stream()
                    .filter(problem -> problem.contains(groupPrefix))
                    .forEach(problems::add);
        });
        return problems;
    }
}
