package dev.vepconnector.cases;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.vepconnector.events.CaseClosed;
import dev.vepconnector.events.CaseEvent;
import dev.vepconnector.events.CaseOpened;
import dev.vepconnector.events.CaseTranscriptClosed;
import dev.vepconnector.events.Outcome;
import dev.vepconnector.events.Transcript;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaseEventCacheTest {

    static final Instant T = Instant.parse("2026-11-25T10:00:00Z");
    final CaseEvent opened = new CaseOpened(T, "case-1", "agent-1", "group-1");
    final CaseEvent reopened = new CaseOpened(T.plusSeconds(60), "case-1", "agent-2", "group-1");
    final CaseEvent closed = new CaseClosed(T.plusSeconds(30), "case-1", Outcome.POSITIVE, null);

    static CaseEventCache cache(int size) {
        return new CaseEventCache(new CaseProperties(Duration.ofMinutes(2), Duration.ofSeconds(1), size));
    }

    @Test
    void aNewCaseIsKnownCompletelyFromItsFirstEvent() {
        assertThat(cache(100).complete("case-1", 0)).isEmpty();
    }

    @Test
    void eventsAreTrustedOnlyWhileTheirCountMatchesWhatIsStored() {
        CaseEventCache cache = cache(100);
        cache.rememberAfterCommit("case-1", List.of(opened, closed));

        assertThat(cache.complete("case-1", 2)).containsExactly(opened, closed);
        assertThat(cache.complete("case-1", 3)).as("another replica stored one more").isNull();
        assertThat(cache.complete("case-2", 1)).as("never seen here").isNull();
    }

    @Test
    void arrivalsAreMergedInEventTimeOrderWithEarlierArrivalsFirstOnTies() {
        CaseEvent closedAtTheSameTime = new CaseClosed(T, "case-1", Outcome.NEUTRAL, null);

        assertThat(CaseEventCache.plus(List.of(opened), List.of(reopened, closed, closedAtTheSameTime)))
                .containsExactly(opened, closedAtTheSameTime, closed, reopened);
    }

    @Test
    void theCacheHoldsAtMostItsSizeInEvents() {
        CaseEventCache cache = cache(10);
        for (int i = 0; i < 100; i++) {
            cache.rememberAfterCommit("case-" + i, List.of(opened, closed));
        }
        cache.cleanUp();

        assertThat(cache.size()).isLessThanOrEqualTo(5);
    }

    @Test
    void aTranscriptCountsByTheSizeOfItsJson() {
        var messages = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < 20; i++) {
            messages.addObject().put("type", "chat").put("message", "message " + i);
        }
        CaseEvent transcript = new CaseTranscriptClosed(T.plusSeconds(40), "case-1",
                new Transcript(JsonNodeFactory.instance.objectNode().set("messages", messages)));
        CaseEventCache cache = cache(200);
        for (int i = 0; i < 10; i++) {
            cache.rememberAfterCommit("case-" + i, List.of(opened, closed, transcript));
        }
        cache.cleanUp();

        // opened, closed, and the transcript: 1 + its 62 values (itself, the array, 20 messages of 3 each)
        assertThat(CaseEventCache.weight(List.of(opened, closed, transcript))).isEqualTo(65);
        assertThat(cache.size()).as("cases of 65 each in a cache of 200").isLessThanOrEqualTo(3);
    }

    @Test
    void sizeZeroTurnsItOff() {
        CaseEventCache cache = cache(0);
        cache.rememberAfterCommit("case-1", List.of(opened));

        assertThat(cache.complete("case-1", 0)).isNull();
        assertThat(cache.complete("case-1", 1)).isNull();
    }
}
