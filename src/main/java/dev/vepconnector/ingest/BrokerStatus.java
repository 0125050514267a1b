package dev.vepconnector.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.event.Level;

/**
 * Where the connector stands with VEP's broker, and which of its changes deserve a log line. A new
 * problem is told at once; the same problem again only 1, 5 and 15 minutes after it began and then
 * every hour, however often binding is retried meanwhile; being bound once.
 */
final class BrokerStatus {

    /** A line for the log. */
    record Line(Level level, String text) {
    }

    private static final List<Duration> REMINDERS = List.of(
            Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1));
    private static final Duration THEN_EVERY = Duration.ofHours(1);
    private static final DateTimeFormatter CLOCK_TIME = DateTimeFormatter.ofPattern("HH:mm");

    private final Clock clock;
    private final Duration retryInterval;
    private BrokerState state = BrokerState.STARTING;
    private String problem = "not connected yet";
    private int attempts;
    private Instant since;
    private int remindersGiven;

    BrokerStatus(Clock clock, Duration retryInterval) {
        this.clock = clock;
        this.retryInterval = retryInterval;
        this.since = clock.instant();
    }

    /** An attempt to bind failed; the line to log, or null when this problem was told recently enough. */
    synchronized Line failed(BrokerState failure, String description) {
        if (failure != state) {
            enter(failure, description, 1);
            return notReady();
        }
        attempts++;
        problem = description;
        return reminderDue() ? stillNotReady() : null;
    }

    /** The connection was lost; the line to log, or null when the connector was not bound anyway. */
    synchronized Line lost(String description) {
        if (state != BrokerState.BOUND) {
            return null;
        }
        enter(BrokerState.BROKER_UNREACHABLE, description, 0);
        return notReady();
    }

    /** The queue is bound and consumed; the line to log, naming what was wrong before if anything was. */
    synchronized Line bound(String binding) {
        String text = state == BrokerState.STARTING ? binding
                : binding + " again (was " + state + " since " + clockTime(since) + ", " + attempts + " failed attempts)";
        enter(BrokerState.BOUND, null, 0);
        return new Line(Level.INFO, text);
    }

    synchronized boolean isBound() {
        return state == BrokerState.BOUND;
    }

    /** Since when the queue has been bound and consumed without a break; null while it is not. */
    synchronized Instant boundSince() {
        return state == BrokerState.BOUND ? since : null;
    }

    synchronized BrokerState state() {
        return state;
    }

    /** The health details: {@code state}, {@code since}, and while not bound {@code problem} and {@code attempts}. */
    synchronized Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", state.name());
        details.put("since", since.toString());
        if (problem != null) {
            details.put("problem", problem);
            details.put("attempts", attempts);
        }
        return details;
    }

    private void enter(BrokerState newState, String description, int attemptsSoFar) {
        state = newState;
        problem = description;
        attempts = attemptsSoFar;
        since = clock.instant();
        remindersGiven = 0;
    }

    private Line notReady() {
        return new Line(state.logLevel(), "VEP broker not ready (" + state + "): " + problem
                + ". Retrying every " + retryInterval.toMillis() + " ms");
    }

    private Line stillNotReady() {
        return new Line(state.logLevel(), "VEP broker still not ready (" + state + ", " + attemptsSince() + "): " + problem);
    }

    private boolean reminderDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextReminder())) {
            return false;
        }
        while (!now.isBefore(nextReminder())) {
            remindersGiven++;
        }
        return true;
    }

    private Instant nextReminder() {
        int last = REMINDERS.size() - 1;
        Duration after = remindersGiven <= last ? REMINDERS.get(remindersGiven)
                : REMINDERS.get(last).plus(THEN_EVERY.multipliedBy(remindersGiven - last));
        return since.plus(after);
    }

    private String attemptsSince() {
        return attempts + (attempts == 1 ? " attempt" : " attempts") + " since " + clockTime(since);
    }

    /** The time of day as the log's own timestamps show it. */
    private static String clockTime(Instant instant) {
        return LocalTime.ofInstant(instant, ZoneId.systemDefault()).format(CLOCK_TIME);
    }
}
