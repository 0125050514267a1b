package dev.vepconnector.ingest;

import dev.vepconnector.support.SettableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** Which changes of the broker connection's state are logged: a new problem at once, the same one again ever more rarely. */
class BrokerStatusTest {

    private static final String LOGIN = "the broker refused the login";
    private static final String BINDING = "Queue 'q' bound; consuming";

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-23T09:00:00Z"));
    private final BrokerStatus status = new BrokerStatus(clock, Duration.ofSeconds(5));

    @Test
    void aNewProblemIsLoggedAtOnceAtItsLevelWithItsState() {
        BrokerStatus.Line line = status.failed(BrokerState.LOGIN_REFUSED, LOGIN);
        assertThat(line.level()).isEqualTo(Level.ERROR);
        assertThat(line.text()).isEqualTo("VEP broker not ready (LOGIN_REFUSED): " + LOGIN + ". Retrying every 5000 ms");
        assertThat(status.failed(BrokerState.BROKER_UNREACHABLE, "cannot reach").level())
                .as("a change of problem, logged at once").isEqualTo(Level.WARN);
    }

    @Test
    void theSameProblemIsLoggedAgainAfter1And5And15MinutesAndThenHourly() {
        status.failed(BrokerState.LOGIN_REFUSED, LOGIN);
        List<Duration> loggedAfter = new ArrayList<>();
        for (Duration elapsed = Duration.ZERO; elapsed.compareTo(Duration.ofHours(3)) <= 0; elapsed = elapsed.plusSeconds(5)) {
            clock.set(Instant.parse("2026-11-23T09:00:00Z").plus(elapsed));
            if (status.failed(BrokerState.LOGIN_REFUSED, LOGIN) != null) {
                loggedAfter.add(elapsed);
            }
        }
        assertThat(loggedAfter).containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
                Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(3));
    }

    @Test
    void aReminderCountsTheAttemptsSinceTheProblemBegan() {
        status.failed(BrokerState.LOGIN_REFUSED, LOGIN);
        for (int i = 0; i < 11; i++) {
            status.failed(BrokerState.LOGIN_REFUSED, LOGIN);
        }
        clock.advance(Duration.ofMinutes(1));
        BrokerStatus.Line reminder = status.failed(BrokerState.LOGIN_REFUSED, LOGIN);
        assertThat(reminder.level()).isEqualTo(Level.ERROR);
        assertThat(reminder.text()).isEqualTo("VEP broker still not ready (LOGIN_REFUSED, 13 attempts since "
                + clockTime("2026-11-23T09:00:00Z") + "): " + LOGIN);
        assertThat(status.details()).containsEntry("state", "LOGIN_REFUSED").containsEntry("attempts", 13)
                .containsEntry("problem", LOGIN).containsEntry("since", "2026-11-23T09:00:00Z");
    }

    @Test
    void anotherProblemStartsCountingAfresh() {
        status.failed(BrokerState.LOGIN_REFUSED, LOGIN);
        status.failed(BrokerState.LOGIN_REFUSED, LOGIN);
        clock.advance(Duration.ofSeconds(30));
        status.failed(BrokerState.VHOST_NOT_ALLOWED, "may not open virtual host '/'");
        assertThat(status.details()).containsEntry("attempts", 1).containsEntry("since", "2026-11-23T09:00:30Z");
        clock.advance(Duration.ofSeconds(50));
        assertThat(status.failed(BrokerState.VHOST_NOT_ALLOWED, "may not open virtual host '/'"))
                .as("a minute since the first problem, not since this one").isNull();
    }

    @Test
    void beingBoundIsLoggedOnceNamingWhatWasWrongBefore() {
        assertThat(status.bound(BINDING)).isEqualTo(new BrokerStatus.Line(Level.INFO, BINDING));

        assertThat(status.lost("lost the connection (Connection reset)").level()).isEqualTo(Level.WARN);
        assertThat(status.lost("closed by the connection factory")).as("already told").isNull();
        status.failed(BrokerState.BROKER_UNREACHABLE, "cannot reach");
        status.failed(BrokerState.BROKER_UNREACHABLE, "cannot reach");
        assertThat(status.bound(BINDING).text())
                .isEqualTo(BINDING + " again (was BROKER_UNREACHABLE since " + clockTime("2026-11-23T09:00:00Z") + ", 2 failed attempts)");
        assertThat(status.details()).containsOnlyKeys("state", "since").containsEntry("state", "BOUND");
    }

    private static String clockTime(String instant) {
        return java.time.LocalTime.ofInstant(Instant.parse(instant), ZoneId.systemDefault()).toString().substring(0, 5);
    }
}
