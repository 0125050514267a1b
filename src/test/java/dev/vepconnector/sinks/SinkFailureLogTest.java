package dev.vepconnector.sinks;

import dev.vepconnector.support.SettableClock;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A receiver that is down for long makes a line when it fails, one a minute while it stays down, and one when it is back. */
class SinkFailureLogTest {

    final SettableClock clock = new SettableClock(Instant.parse("2026-11-23T09:00:00Z"));
    final SinkFailureLog failures = new SinkFailureLog("webhook", clock);
    final Logger logger = (Logger) LoggerFactory.getLogger(SinkFailureLog.class);
    final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    Level levelBefore;

    @BeforeEach
    void capture() {
        levelBefore = logger.getLevel();
        logger.setLevel(Level.INFO);
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
        logger.setLevel(levelBefore);
    }

    @Test
    void anHourOfFailedAttemptsEveryTwoSecondsMakesALineAMinute() {
        for (int attempt = 1; attempt <= 1800; attempt++) {
            failures.retrying("case-" + attempt, 1, attempt, Duration.ofSeconds(2), "503 busy");
            clock.advance(Duration.ofSeconds(2));
        }
        failures.delivered();

        assertThat(messages(Level.WARN)).hasSize(60);
        assertThat(messages(Level.WARN).get(0)).contains("case-1 revision 1 failed (attempt 1)", "503 busy");
        assertThat(messages(Level.WARN).get(1)).contains("still failing since 2026-11-23T09:00:00Z", "30 more failed attempts");
        assertThat(messages(Level.INFO)).containsExactly("Sink webhook: delivering again, after 1800 failed attempts since 2026-11-23T09:00:00Z");
    }

    @Test
    void aFailureAfterRecoveryIsToldAgainAtOnce() {
        failures.retrying("case-1", 1, 1, Duration.ofSeconds(1), "timeout");
        failures.delivered();
        failures.retrying("case-2", 1, 1, Duration.ofSeconds(1), "timeout");

        assertThat(messages(Level.WARN)).hasSize(2);
        assertThat(messages(Level.WARN).get(1)).contains("case-2");
    }

    @Test
    void deadLettersAreCountedBetweenLines() {
        for (int i = 1; i <= 100; i++) {
            failures.deadLettered("case-" + i, 1, 1, "refused: 422");
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(messages(Level.ERROR)).hasSize(2);
        assertThat(messages(Level.ERROR).get(0)).contains("case-1 revision 1 dead-lettered", "refused: 422", "/api/sinks/webhook/dead-letters");
        assertThat(messages(Level.ERROR).get(1)).contains("case-61", "and 59 more since the last such line");
    }

    private List<String> messages(Level level) {
        return lines.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }
}
