package dev.vepconnector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A backlog on VEP's broker (built while the connector did not consume; messages expire there after 5
 * minutes): while it waits, processing the inbox gives way to taking it off; once it is taken in, every
 * message is processed once. The backlog is held on the broker by stopping the ingest route, so whether
 * processing meets it does not depend on the machine's pace.
 */
@SpringBootTest(properties = {"vep.ingest.processing-share-during-backlog=0.05", "vep.ingest.batch-size=50",
        "vep.sinks.file.enabled=false"})
class ProcessingGivesWayToBrokerBacklogTest {

    private static final int ON_THE_BROKER = 6_000;
    private static final int IN_THE_INBOX = 300;

    static final Setup SETUP = Setup.unique();
    static final FakeVep VEP = new FakeVep();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        SETUP.register(registry);
    }

    @BeforeAll
    static void vepCreatesItsExchange() throws Exception {
        VEP.declareExchange(SETUP.exchange());
    }

    @AfterAll
    static void cleanUp() {
        VEP.deleteQueue(SETUP.queue());
        VEP.deleteExchange(SETUP.exchange());
        VEP.close();
    }

    @Autowired
    CamelContext camel;
    @Autowired
    IngestBatchProcessor processor;
    @Autowired
    InboxProjector projector;
    @Autowired
    MeterRegistry registry;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void processingPausesWhileABacklogWaitsOnTheBrokerAndEveryMessageIsProcessedOnce() throws Exception {
        var routes = camel.getRouteController();
        await().atMost(Duration.ofSeconds(60)).until(() -> routes.getRouteStatus(BrokerTopology.INGEST_ROUTE_ID) == ServiceStatus.Started);
        routes.stopRoute(BrokerTopology.INGEST_ROUTE_ID);
        VEP.publishAll(SETUP.exchange(), opened("waiting-", ON_THE_BROKER));

        List<InboundMessage> stored = new ArrayList<>();
        for (String[] message : opened("stored-", IN_THE_INBOX)) {
            stored.add(new InboundMessage(message[0], message[1].getBytes(StandardCharsets.UTF_8), Instant.now(), null, -1));
        }
        processor.storeInInbox(stored);
        projector.wake();

        await().atMost(Duration.ofSeconds(60)).until(() -> paused() > 0);
        assertThat(count("waiting-%")).as("the backlog waits on the broker meanwhile").isZero();

        routes.startRoute(BrokerTopology.INGEST_ROUTE_ID);
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            assertThat(count("waiting-%")).as("the broker's backlog, processed").isEqualTo(ON_THE_BROKER);
            assertThat(count("stored-%")).as("what was in the inbox, processed").isEqualTo(IN_THE_INBOX);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM inbox", Long.class)).as("inbox empty again").isZero();
        });
        assertThat(registry.counter("vep.events.duplicates", "type", "case.opened").count()).isZero();
        System.out.printf("[figures] broker backlog: %d messages held on the broker while %d in the inbox were processed; "
                + "processing paused %.1f s for them; all %d processed once%n", ON_THE_BROKER, IN_THE_INBOX, paused(), ON_THE_BROKER + IN_THE_INBOX);
    }

    private double paused() {
        return registry.get("vep.ingest.processing.paused").counter().count();
    }

    private long count(String caseIdPattern) {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM event_log WHERE entity_id LIKE ?", Long.class, caseIdPattern);
        return count == null ? 0 : count;
    }

    private static List<String[]> opened(String prefix, int cases) {
        List<String[]> messages = new ArrayList<>(cases);
        for (int i = 0; i < cases; i++) {
            messages.add(new String[] {"case.opened",
                    "{\"eventTime\": \"2026-11-23T10:00:00Z\", \"caseId\": \"" + prefix + i + "\", \"agentId\": \"a\", \"groupId\": \"g\"}"});
        }
        return messages;
    }
}
