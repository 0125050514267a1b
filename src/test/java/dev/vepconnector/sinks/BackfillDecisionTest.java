package dev.vepconnector.sinks;

import static dev.vepconnector.sinks.SinkBackfills.Decision.AGAIN;
import static dev.vepconnector.sinks.SinkBackfills.Decision.ALREADY_PENDING;
import static dev.vepconnector.sinks.SinkBackfills.Decision.QUEUE;
import static dev.vepconnector.sinks.SinkBackfills.Decision.SKIP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vepconnector.sinks.SinkBackfillStore.Delivery;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What backfill 7 does with a case whose latest kept revision is 3, by what the sink has of the case. */
class BackfillDecisionTest {

    static final long BACKFILL = 7;
    static final Set<Long> OTHERS_RUNNING = Set.of(5L);

    @Test
    void aRevisionTheSinkNeverHadIsQueued() {
        assertThat(decide()).isEqualTo(QUEUE);
        assertThat(decide(delivery(2, "DELIVERED", null))).as("only an earlier one").isEqualTo(QUEUE);
    }

    @Test
    void aRevisionDeliveredOrDeadLetteredBeforeIsQueuedAgain() {
        assertThat(decide(delivery(3, "DELIVERED", null))).isEqualTo(AGAIN);
        assertThat(decide(delivery(3, "DEAD", null))).isEqualTo(AGAIN);
        assertThat(decide(delivery(3, "DELIVERED", 4L))).as("by a backfill that finished").isEqualTo(AGAIN);
    }

    @Test
    void aRevisionOnItsWayIsNotQueuedTwice() {
        assertThat(decide(delivery(3, "PENDING", null))).as("live").isEqualTo(ALREADY_PENDING);
        assertThat(decide(delivery(3, "PENDING", 5L))).as("another backfill's").isEqualTo(ALREADY_PENDING);
        assertThat(decide(delivery(3, "DELIVERED", 5L))).as("delivered by another backfill still running").isEqualTo(ALREADY_PENDING);
    }

    @Test
    void aCaseThisBackfillHasAlreadyOrWithALaterRevisionAtTheSinkIsSkipped() {
        assertThat(decide(delivery(3, "DELIVERED", BACKFILL))).isEqualTo(SKIP);
        assertThat(decide(delivery(2, "PENDING", BACKFILL), delivery(3, "PENDING", null))).isEqualTo(SKIP);
        assertThat(decide(delivery(4, "DELIVERED", null))).as("never older than what the sink has").isEqualTo(SKIP);
    }

    private static SinkBackfills.Decision decide(Delivery... ofSink) {
        return SinkBackfills.decide(BACKFILL, 3, List.of(ofSink), OTHERS_RUNNING);
    }

    private static Delivery delivery(int revision, String state, Long backfillId) {
        return new Delivery("crm", revision, state, backfillId);
    }
}
