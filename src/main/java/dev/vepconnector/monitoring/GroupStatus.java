package dev.vepconnector.monitoring;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A group's status from its thresholds ({@link GroupThresholds}); the gauge {@code vep_group_status} is its level. */
public enum GroupStatus {
    OK, WARNING, ALERT;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public int level() {
        return ordinal();
    }

    /** A status and the short texts that say why ("4 waiting (alert at 3)"); no reasons when ok. */
    record Judgement(GroupStatus status, List<String> reasons) {
    }

    /**
     * Judges a group's figures against its limits: visitors in queue and the longest wait (as VEP last
     * reported them) at or over a limit, today's service level below one, once something was answered today.
     */
    static Judgement judge(GroupThresholds.Limits limits, Long visitorsInQueue, Long longestWaitMs, Double serviceLevelToday) {
        GroupStatus status = OK;
        List<String> reasons = new ArrayList<>();
        if (visitorsInQueue != null) {
            GroupStatus reached = atOrOver(visitorsInQueue, limits.visitorsInQueueWarning(), limits.visitorsInQueueAlert());
            if (reached != OK) {
                reasons.add(visitorsInQueue + " waiting (" + reached.wireName() + " at "
                        + (reached == ALERT ? limits.visitorsInQueueAlert() : limits.visitorsInQueueWarning()) + ")");
                status = worse(status, reached);
            }
        }
        if (longestWaitMs != null) {
            GroupStatus reached = atOrOver(longestWaitMs, millis(limits.longestWaitWarning()), millis(limits.longestWaitAlert()));
            if (reached != OK) {
                reasons.add("longest wait " + duration(Duration.ofMillis(longestWaitMs)) + " (" + reached.wireName() + " at "
                        + duration(reached == ALERT ? limits.longestWaitAlert() : limits.longestWaitWarning()) + ")");
                status = worse(status, reached);
            }
        }
        if (serviceLevelToday != null) {
            GroupStatus reached = serviceLevelToday < orNegative(limits.serviceLevelAlert()) ? ALERT
                    : serviceLevelToday < orNegative(limits.serviceLevelWarning()) ? WARNING : OK;
            if (reached != OK) {
                reasons.add("service level " + percent(serviceLevelToday) + " today (" + reached.wireName() + " below "
                        + percent(reached == ALERT ? limits.serviceLevelAlert() : limits.serviceLevelWarning()) + ")");
                status = worse(status, reached);
            }
        }
        return new Judgement(status, List.copyOf(reasons));
    }

    private static GroupStatus atOrOver(long value, Long warning, Long alert) {
        if (alert != null && value >= alert) {
            return ALERT;
        }
        return warning != null && value >= warning ? WARNING : OK;
    }

    private static GroupStatus worse(GroupStatus a, GroupStatus b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    private static Long millis(Duration d) {
        return d == null ? null : d.toMillis();
    }

    private static double orNegative(Double limit) {
        return limit == null ? -1 : limit;
    }

    /** 0.7999 as "79.9%", not a rounded-up "80%" that would read as meeting an 80% limit. */
    static String percent(double ratio) {
        double tenths = Math.floor(ratio * 1000 + 1e-9) / 10;
        return (tenths == Math.rint(tenths) ? String.valueOf((long) tenths) : String.valueOf(tenths)) + "%";
    }

    /** 125 s as "2m 5s", 2 min as "2m", 3700 s as "1h 1m 40s". */
    static String duration(Duration d) {
        long seconds = d.toSeconds();
        StringBuilder text = new StringBuilder();
        if (seconds >= 3600) {
            text.append(seconds / 3600).append("h ");
        }
        if (seconds % 3600 >= 60) {
            text.append(seconds % 3600 / 60).append("m ");
        }
        if (seconds % 60 != 0 || text.isEmpty()) {
            text.append(seconds % 60).append("s");
        }
        return text.toString().strip();
    }
}
