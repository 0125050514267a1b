package dev.vepconnector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.Examples;
import dev.vepconnector.support.FakeVep;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Events published to VEP's exchange end up stored once each; bad input is dead-lettered around good input. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
class IngestIntegrationTest {

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
    EventLog eventLog;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TestRestTemplate http;

    @Test
    void everyExampleOfTheInterfaceIsStored() throws Exception {
        awaitConsuming();
        for (String key : Examples.EVENT_ROUTING_KEYS) {
            VEP.publish(SETUP.exchange(), key, Examples.body(key));
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (String key : Examples.EVENT_ROUTING_KEYS) {
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM event_log WHERE routing_key = ? AND entity_id = ?",
                        Long.class, key, Examples.entityId(key))).as(key).isEqualTo(1);
            }
        });
        String transcript = jdbc.queryForObject("SELECT body FROM event_log WHERE routing_key = 'case.transcriptClosed'", String.class);
        assertThat(transcript).contains("\"messageType\":\"video\"", "Change of delivery address");
    }

    @Test
    void unknownPropertiesAreToleratedAndUnknownTypesSkipped() throws Exception {
        awaitConsuming();
        String extended = """
                {"eventTime": "2026-11-23T10:00:00.000Z", "caseId": "case-extended", "agentId": "agent-1",
                 "groupId": "group-1", "debugInfo": {"node": "vep-7"}, "priority": 3}""";
        VEP.publish(SETUP.exchange(), "case.opened", extended);
        VEP.publish(SETUP.exchange(), "case.escalated", "{\"caseId\": \"case-extended\"}");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(countForEntity("case-extended")).isEqualTo(1);
            assertThat(metric("vep_events_ignored_total{application=\"vep-connector\",type=\"case.escalated\"}")).isEqualTo(1.0);
        });
        assertThat(deadLetters()).noneMatch(d -> "case.escalated".equals(d.get("routingKey")));
    }

    @Test
    void badInputIsDeadLetteredWithAReasonAndGoodInputAroundItIsStored() throws Exception {
        awaitConsuming();
        String good = "{\"eventTime\": \"2026-11-23T11:00:00Z\", \"caseId\": \"good-%d\", \"agentId\": \"a\", \"groupId\": \"g\"}";
        VEP.publish(SETUP.exchange(), "case.opened", good.formatted(1));
        VEP.publish(SETUP.exchange(), "case.created", "this is not json");
        VEP.publish(SETUP.exchange(), "case.created", "[1, 2, 3]");
        VEP.publish(SETUP.exchange(), "case.opened", "{\"eventTime\": \"2026-11-23T11:00:00Z\", \"agentId\": \"a\"}");
        VEP.publish(SETUP.exchange(), "case.closed", "{\"caseId\": \"bad-outcome\", \"outcome\": \"delighted\"}");
        VEP.publish(SETUP.exchange(), "group.loadChanged", "{\"groupId\": \"g\", \"numberOfVisitorsInQueue\": \"many\"}");
        VEP.publish(SETUP.exchange(), "case.closed", new byte[] {'{', '"', 'c', (byte) 0xC3, (byte) 0x28, '"', '}'});
        VEP.publish(SETUP.exchange(), "case.opened", good.formatted(2));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(countForEntity("good-1")).isEqualTo(1);
            assertThat(countForEntity("good-2")).isEqualTo(1);
            assertThat(deadLetters()).hasSizeGreaterThanOrEqualTo(6);
        });
        List<Map<String, Object>> letters = deadLetters();
        assertThat(reasonOf(letters, "this is not json")).startsWith("not-json: case.created body is not JSON");
        assertThat(reasonOf(letters, "[1, 2, 3]")).startsWith("not-object:");
        assertThat(reasonOf(letters, "\"agentId\": \"a\"}")).isEqualTo("missing-field: case.opened requires 'caseId'");
        assertThat(reasonOf(letters, "delighted")).startsWith("invalid-value: case.closed 'outcome'");
        assertThat(reasonOf(letters, "many")).startsWith("invalid-value: group.loadChanged 'numberOfVisitorsInQueue'");
        Map<String, Object> notUtf8 = letters.stream().filter(d -> "base64".equals(d.get("bodyEncoding"))).findFirst().orElseThrow();
        assertThat(notUtf8.get("reason")).isEqualTo("invalid-encoding: case.closed body is not valid UTF-8");
        assertThat(java.util.Base64.getDecoder().decode((String) notUtf8.get("body")))
                .isEqualTo(new byte[] {'{', '"', 'c', (byte) 0xC3, (byte) 0x28, '"', '}'});
        assertThat(letters).allSatisfy(d -> assertThat(d).containsKeys("routingKey", "reason", "receivedAt", "body"));
        await().untilAsserted(() -> assertThat(metric("vep_events_rejected_total{application=\"vep-connector\",reason=\"invalid-value\"}"))
                .isGreaterThanOrEqualTo(2.0));
    }

    @Test
    void aDuplicateIsStoredOnce() throws Exception {
        awaitConsuming();
        String body = "{\"eventTime\": \"2026-11-23T12:00:00Z\", \"caseId\": \"dup-1\", \"outcome\": \"positive\"}";
        String reordered = "{\"outcome\": \"positive\", \"caseId\": \"dup-1\",   \"eventTime\": \"2026-11-23T12:00:00Z\"}";
        VEP.publish(SETUP.exchange(), "case.closed", body);
        VEP.publish(SETUP.exchange(), "case.closed", body);
        VEP.publish(SETUP.exchange(), "case.closed", reordered);
        VEP.publish(SETUP.exchange(), "case.opened", "{\"eventTime\": \"2026-11-23T12:00:01Z\", \"caseId\": \"dup-marker\", \"agentId\": \"a\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> countForEntity("dup-marker") == 1);
        assertThat(countForEntity("dup-1")).isEqualTo(1);
        await().untilAsserted(() -> assertThat(metric("vep_events_received_total{application=\"vep-connector\",type=\"case.closed\"}")).isGreaterThanOrEqualTo(3.0));
        assertThat(metric("vep_events_duplicates_total{application=\"vep-connector\",type=\"case.closed\"}")).isGreaterThanOrEqualTo(2.0);
        assertThat(metric("vep_ingest_batch_size_sum{application=\"vep-connector\"}")).as("every message counted in a stored batch")
                .isGreaterThanOrEqualTo(4.0);
        assertThat(metric("vep_ingest_batch_duration_seconds_sum{application=\"vep-connector\"}")).as("time spent storing batches")
                .isGreaterThan(0.0);
    }

    @Test
    void aSteadyTrickleOfMessagesIsStoredOnceEach() throws Exception {
        // How many database writes a trickle shares depends on the machine's pace: bench/benchmark (part
        // "trickle") prints that figure. What holds on any machine is that each message is stored once.
        awaitConsuming();
        double storedBefore = metric("vep_ingest_batch_size_sum{application=\"vep-connector\"}");
        int messages = 300;
        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            // One message a millisecond, as a steady stream arrives (the publisher's pace, not a wait for a result).
            java.util.concurrent.locks.LockSupport.parkNanos(start + i * 1_000_000L - System.nanoTime());
            VEP.publish(SETUP.exchange(), "case.opened",
                    "{\"eventTime\": \"2026-11-23T12:00:00Z\", \"caseId\": \"trickle-" + i + "\", \"agentId\": \"a\"}");
        }
        await().atMost(Duration.ofSeconds(60)).until(
                () -> metric("vep_ingest_batch_size_sum{application=\"vep-connector\"}") - storedBefore >= messages);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "SELECT COUNT(*) FROM event_log WHERE entity_id LIKE 'trickle-%'", Long.class)).isEqualTo(messages));
        assertThat(jdbc.queryForObject("SELECT COUNT(DISTINCT entity_id) FROM event_log WHERE entity_id LIKE 'trickle-%'", Long.class))
                .as("each trickled case stored once").isEqualTo(messages);
    }

    @Test
    void messagesAPreviousRunLeftInTheInboxAreProcessed() {
        awaitConsuming();
        // What a run that was stopped or killed after acknowledging, before processing, leaves behind.
        jdbc.update("INSERT INTO inbox (routing_key, received_at, body) VALUES (?, CURRENT_TIMESTAMP, ?)", "case.opened",
                "{\"eventTime\": \"2026-11-23T13:00:00Z\", \"caseId\": \"left-in-inbox\", \"agentId\": \"a\"}".getBytes());
        jdbc.update("INSERT INTO inbox (routing_key, received_at, body) VALUES (?, CURRENT_TIMESTAMP, ?)", "case.closed",
                "{\"caseId\": \"left-in-inbox\", \"outcome\": \"unheard-of\"}".getBytes());

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(countForEntity("left-in-inbox")).isEqualTo(1);
            assertThat(reasonOf(deadLetters(), "unheard-of")).startsWith("invalid-value: case.closed 'outcome'");
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM inbox", Long.class)).isZero();
            assertThat(metric("vep_ingest_inbox_messages{application=\"vep-connector\"}")).as("inbox gauge back to empty").isZero();
        });
    }

    @Test
    void healthIsUpWithTheQueueBound() {
        awaitConsuming();
        Map<?, ?> health = http.getForObject("/actuator/health/readiness", Map.class);
        assertThat(health.get("status")).isEqualTo("UP");
        assertThat(http.getForObject("/actuator/health/liveness", Map.class).get("status")).isEqualTo("UP");
    }

    private void awaitConsuming() {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<?, ?> health = http.getForObject("/actuator/health", Map.class);
            return "UP".equals(health.get("status"));
        });
    }

    private long countForEntity(String entityId) {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM event_log WHERE entity_id = ?", Long.class, entityId);
        return count == null ? 0 : count;
    }

    private List<Map<String, Object>> deadLetters() {
        return http.exchange("/api/dead-letters?limit=1000", HttpMethod.GET, null,
                new ParameterizedTypeReference<List<Map<String, Object>>>() { }).getBody();
    }

    private static String reasonOf(List<Map<String, Object>> letters, String bodyPart) {
        return letters.stream().filter(d -> String.valueOf(d.get("body")).contains(bodyPart))
                .map(d -> (String) d.get("reason")).findFirst().orElseThrow(() -> new AssertionError("no dead letter with " + bodyPart));
    }

    private double metric(String series) {
        String text = http.getForObject("/actuator/prometheus", String.class);
        return text.lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0.0);
    }

}
