package dev.vepconnector.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * When a wait for a transcript counts as over: a transcript VEP sent in time but still on the broker or
 * in the inbox must not make a record go out without it.
 */
class TranscriptWaitTest {

    static final Instant NOW = Instant.parse("2026-11-23T09:00:00Z");
    static final Duration WAIT = Duration.ofMinutes(2);

    @Test
    void consumingLongerThanAWaitWithNothingUnprocessedEndsEveryWaitUpToNow() {
        assertThat(CaseAggregator.waitsOverUpTo(NOW, WAIT, Optional.of(NOW.minus(WAIT)), Optional.empty())).contains(NOW);
    }

    @Test
    void noWaitIsOverWhileNotConsuming() {
        assertThat(CaseAggregator.waitsOverUpTo(NOW, WAIT, Optional.empty(), Optional.empty())).isEmpty();
    }

    @Test
    void afterAStartOrReconnectTheBacklogOnTheBrokerGetsAWholeWaitToComeIn() {
        Instant consumingSince = NOW.minus(WAIT).plusSeconds(1);
        assertThat(CaseAggregator.waitsOverUpTo(NOW, WAIT, Optional.of(consumingSince), Optional.empty())).isEmpty();
        assertThat(CaseAggregator.waitsOverUpTo(NOW.plusSeconds(1), WAIT, Optional.of(consumingSince), Optional.empty()))
                .contains(NOW.plusSeconds(1));
    }

    @Test
    void onlyWaitsThatEndedBeforeTheOldestUnprocessedMessageCameInAreOver() {
        Instant received = NOW.minusSeconds(90);
        Optional<Instant> upTo = CaseAggregator.waitsOverUpTo(NOW, WAIT, Optional.of(NOW.minus(Duration.ofHours(1))), Optional.of(received));
        assertThat(upTo).hasValueSatisfying(at -> assertThat(at).isBefore(received).isAfter(received.minusMillis(1)));
    }
}
