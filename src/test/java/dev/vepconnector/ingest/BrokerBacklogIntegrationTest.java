package dev.vepconnector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vepconnector.support.ConnectorProcess;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A backlog built up on VEP's broker while the connector was down (where messages expire after
 * 5 minutes) comes off the broker into the connector's inbox, and every message is processed once.
 */
class BrokerBacklogIntegrationTest {

    private static final int BACKLOG = 6_000;

    private final Setup setup = Setup.unique();
    private final FakeVep vep = new FakeVep();

    @AfterEach
    void cleanUp() {
        vep.deleteQueue(setup.queue());
        vep.deleteExchange(setup.exchange());
        vep.close();
    }

    @Test
    void theBacklogComesOffTheBrokerBeforeItIsProcessed() throws Exception {
        vep.declareExchange(setup.exchange());
        String[] args = setup.arguments("--vep.ingest.processing-share-during-backlog=0.05", "--vep.sinks.file.enabled=false",
                "--logging.level.root=WARN");
        try (ConnectorProcess first = ConnectorProcess.start(setup.dataDirectory().resolve("first.log"), args)) {
            await().atMost(Duration.ofSeconds(60)).until(first::isConsuming);
        }
        List<String[]> backlog = new ArrayList<>();
        for (int i = 0; i < BACKLOG; i++) {
            backlog.add(new String[] {"case.opened",
                    "{\"eventTime\": \"2026-11-23T10:00:00Z\", \"caseId\": \"backlog-" + i + "\", \"agentId\": \"a\", \"groupId\": \"g\"}"});
        }
        vep.publishAll(setup.exchange(), backlog);

        try (ConnectorProcess connector = ConnectorProcess.start(setup.dataDirectory().resolve("connector.log"), args)) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> connector.metric("vep_ingest_batch_size_sum") >= BACKLOG);
            double processedWhenAllStored = connector.metric("vep_events_received_total");
            double pausedSeconds = connector.metric("vep_ingest_processing_paused_seconds_total");
            System.out.printf("[figures] broker backlog: %d messages stored off the broker, %.0f of them processed at that moment; "
                    + "processing paused %.1f s for the backlog%n", BACKLOG, processedWhenAllStored, pausedSeconds);
            // Whether processing met the backlog at all depends on the machine's pace (a fast start stores it first):
            // ProcessingGivesWayToBrokerBacklogTest holds one on the broker to see processing give way.

            await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
                assertThat(connector.metric("vep_events_received_total")).as("every stored message processed").isEqualTo(BACKLOG);
                assertThat(connector.metric("vep_ingest_inbox_messages")).as("inbox empty again").isZero();
            });
            assertThat(connector.metric("vep_events_duplicates_total")).isZero();
        }
    }
}
