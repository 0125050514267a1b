package dev.vepconnector.sinks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.RunningConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * Backfills as an operator runs them ({@code POST /api/sinks/{sink}/backfill}), with a real broker: a sink
 * switched on later gets the stored records of the range and none outside it, each once per backfill, and the
 * backfill reaches finished; an identical request while it runs queues nothing twice; the records emitted
 * meanwhile go first and a case's revisions stay in order; what a backfill has still to deliver is kept from
 * the retention purge; unknown sinks and bad ranges are refused with a message.
 */
class BackfillIntegrationTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String HOOK = "/hooks/vep";

    final Setup setup = Setup.unique();
    final FakeVep vep = new FakeVep();
    final Path out = setup.dataDirectory().resolve("out");
    final WireMockServer receiver = new WireMockServer(options().dynamicPort());
    RunningConnector connector;

    @BeforeEach
    void setUp() throws Exception {
        receiver.start();
        vep.declareExchange(setup.exchange());
    }

    @AfterEach
    void tearDown() {
        if (connector != null) {
            connector.close();
        }
        receiver.stop();
        vep.deleteQueue(setup.queue());
        vep.deleteExchange(setup.exchange());
        vep.close();
    }

    @Test
    void aWebhookSwitchedOnLaterGetsTheRangesRecordsOncePerBackfillAndAnIdenticalRequestQueuesNothingTwice() throws Exception {
        start("--vep.sinks.file.enabled=false");
        for (int i = 0; i < 6; i++) {
            publishClosedCase("early-" + i, "09:0%d:00".formatted(i));
        }
        awaitRecords(6);
        Instant from = emittedAt("MIN").minusMillis(1);
        Instant to = emittedAt("MAX").plusNanos(1000);
        for (int i = 0; i < 4; i++) {
            publishClosedCase("late-" + i, "10:0%d:00".formatted(i));
        }
        awaitRecords(10);
        connector.close();

        // Switched on later: the webhook had no deliveries at all. Its receiver is down at first.
        receiver.stubFor(post(urlEqualTo(HOOK)).willReturn(aResponse().withStatus(503)));
        start("--vep.sinks.file.enabled=false", "--vep.sinks.webhook.enabled=true",
                "--vep.sinks.webhook.url=http://127.0.0.1:" + receiver.port() + HOOK, "--vep.sinks.webhook.retry.initial-backoff=100ms",
                "--vep.sinks.webhook.retry.max-backoff=300ms", "--vep.sinks.webhook.retry.max-attempts=1000");
        assertThat(count("SELECT COUNT(*) FROM sink_delivery WHERE sink = 'webhook'")).isZero();

        Answer first = backfill("webhook", range(from, to));
        assertThat(first.status()).isEqualTo(202);
        assertThat(first.body().get("mode").asText()).isEqualTo("records");
        assertThat(first.body().get("cases").asLong()).isEqualTo(6);
        long id = first.body().get("id").asLong();
        await().atMost(Duration.ofSeconds(30)).until(() -> backfillOf("webhook", id).get("state").asText().equals("delivering"));
        Answer again = backfill("webhook", range(from, to));
        assertThat(again.status()).as("the identical backfill still running").isEqualTo(200);
        assertThat(again.body().get("id").asLong()).isEqualTo(id);

        receiver.resetAll();
        receiver.stubFor(post(urlEqualTo(HOOK)).willReturn(aResponse().withStatus(204)));
        JsonNode finished = awaitFinished("webhook", id);
        assertThat(finished.get("queued").asLong()).isEqualTo(6);
        assertThat(finished.get("delivered").asLong()).isEqualTo(6);
        assertThat(finished.get("dead").asLong()).isZero();
        assertThat(finished.get("finishedAt").isNull()).isFalse();
        assertThat(requestsById()).as("each record of the range once, none outside it")
                .containsOnlyKeys("early-0:1", "early-1:1", "early-2:1", "early-3:1", "early-4:1", "early-5:1").allSatisfy((key, n) ->
                        assertThat(n).as(key).isEqualTo(1));

        // Asked again once the first has finished: a new backfill, which sends the range once more.
        Answer repeat = backfill("webhook", range(from, to));
        assertThat(repeat.status()).isEqualTo(202);
        assertThat(awaitFinished("webhook", repeat.body().get("id").asLong()).get("delivered").asLong()).isEqualTo(6);
        assertThat(requestsById().values()).hasSize(6).allSatisfy(n -> assertThat(n).isEqualTo(2));
        JsonNode list = JSON.readTree(connector.http().get().uri("/api/sinks/webhook/backfills").retrieve().body(String.class));
        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("id").asLong()).as("newest first").isEqualTo(repeat.body().get("id").asLong());
        assertThat(list.get(1).get("from").asText()).isEqualTo(from.toString());
    }

    @Test
    void recordsEmittedMeanwhileGoFirstAndACaseRevisionsStayInOrder() throws Exception {
        start("--vep.sinks.file.directory=" + out);
        for (int i = 0; i < 20; i++) {
            publishClosedCase("old-" + i, "09:%02d:00".formatted(i));
        }
        awaitRecords(20);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT COUNT(*) FROM sink_delivery WHERE state = 'DELIVERED'") == 20);
        Instant from = emittedAt("MIN").minusMillis(1);
        Instant to = emittedAt("MAX").plusNanos(1000);
        connector.close();

        // "held" is a sink with no route: what is queued for it waits, so the queue can be looked at as it is.
        start("--vep.sinks.file.directory=" + out, "--vep.sinks.held.enabled=true");
        long held = backfill("held", range(from, to)).body().get("id").asLong();
        assertThat(backfill("file", range(from, to)).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> backfillOf("held", held).get("state").asText().equals("delivering"));
        vep.publishReopenAndClose(setup.exchange(), "old-0", "11:00:00");
        publishClosedCase("new-1", "11:01:00");
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT COUNT(*) FROM sink_delivery WHERE sink = 'held'") == 22);

        SinkDeliveryStore store = connector.bean(SinkDeliveryStore.class);
        Instant now = Instant.now();
        List<SinkDeliveryStore.Claimed> claimed = store.claim("held", "test", now, now.plusSeconds(60), 25);
        assertThat(claimed).as("the record emitted meanwhile and the 20 backfilled").hasSize(21);
        assertThat(claimed.get(0).caseId()).as("the record emitted meanwhile first").isEqualTo("new-1");
        assertThat(claimed).as("old-0's backfilled revision 1, not its revision 2 before it")
                .anySatisfy(c -> assertThat(c.caseId() + ":" + c.revision()).isEqualTo("old-0:1"))
                .noneSatisfy(c -> assertThat(c.caseId() + ":" + c.revision()).isEqualTo("old-0:2"));

        await().atMost(Duration.ofSeconds(30)).until(() -> backfills("file").get(0).get("state").asText().equals("finished"));
        for (int i = 0; i < 20; i++) {
            assertThat(file("old-" + i).get("revision").asInt()).isEqualTo(i == 0 ? 2 : 1);
        }
        assertThat(file("new-1")).isNotNull();
        JsonNode done = backfills("file").get(0);
        assertThat(done.get("queued").asLong() + done.get("alreadyPending").asLong()).isEqualTo(20);
    }

    @Test
    void whatABackfillHasStillToDeliverIsKeptFromThePurge() throws Exception {
        receiver.stubFor(post(urlEqualTo(HOOK)).willReturn(aResponse().withStatus(204)));
        start("--vep.sinks.file.directory=" + out, "--vep.sinks.webhook.enabled=true",
                "--vep.sinks.webhook.url=http://127.0.0.1:" + receiver.port() + HOOK, "--vep.sinks.webhook.retry.initial-backoff=100ms",
                "--vep.sinks.webhook.retry.max-backoff=300ms", "--vep.sinks.webhook.retry.max-attempts=100000",
                "--vep.retention.case-records=10s", "--vep.retention.purge-interval=200ms", "--vep.retention.events=1h");
        publishClosedCase("kept-1", "09:00:00");
        awaitRecords(1);
        Instant from = emittedAt("MIN").minusMillis(1);
        Instant to = emittedAt("MAX").plusNanos(1000);
        publishClosedCase("purged-1", "09:01:00");
        awaitRecords(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.findAll(postRequestedFor(urlEqualTo(HOOK))).size() == 2);

        receiver.resetAll();
        receiver.stubFor(post(urlEqualTo(HOOK)).willReturn(aResponse().withStatus(503)));
        Answer started = backfill("webhook", range(from, to));
        assertThat(started.body().get("cases").asLong()).as("asked for before the revision's retention ran out").isEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT COUNT(*) FROM case_record WHERE case_id = 'purged-1'") == 0);
        assertThat(count("SELECT COUNT(*) FROM case_record WHERE case_id = 'kept-1'")).as("pending for the backfill: kept").isEqualTo(1);

        receiver.resetAll();
        receiver.stubFor(post(urlEqualTo(HOOK)).willReturn(aResponse().withStatus(204)));
        assertThat(awaitFinished("webhook", started.body().get("id").asLong()).get("delivered").asLong()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT COUNT(*) FROM case_record WHERE case_id = 'kept-1'") == 0);
    }

    @Test
    void anUnknownSinkAndABadRangeAreRefusedWithAMessage() throws Exception {
        start("--vep.sinks.file.directory=" + out);
        Answer unknown = backfill("nosuch", range(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z")));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().get("message").asText()).contains("No enabled sink named nosuch");
        assertThat(backfill("webhook", range(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"))).status())
                .as("switched off").isEqualTo(404);

        Map<String, String> refusals = Map.of(
                "{\"from\": \"2026-12-01T00:00:00Z\", \"to\": \"2026-11-01T00:00:00Z\"}", "must be before to",
                "{\"from\": \"2026-11-01T00:00:00Z\"}", "to is required",
                "{\"from\": \"yesterday\", \"to\": \"2026-11-01T00:00:00Z\"}", "from 'yesterday' is no ISO-8601",
                "not json", "the body is not JSON",
                "", "the body must give the range");
        refusals.forEach((body, message) -> {
            Answer refused = backfill("file", body);
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.body().get("message").asText()).as(body).contains(message);
        });
        assertThat(backfills("file")).isEmpty();
    }

    // --- helpers -------------------------------------------------------------------------------

    private void start(String... extra) {
        connector = RunningConnector.start(setup.arguments(extra));
        await().atMost(Duration.ofSeconds(30)).until(connector::isConsuming);
    }

    record Answer(int status, JsonNode body) {
    }

    private Answer backfill(String sink, String body) {
        return connector.http().post().uri("/api/sinks/" + sink + "/backfill").contentType(MediaType.APPLICATION_JSON).body(body)
                .exchange((request, response) -> {
                    String text = new String(response.getBody().readAllBytes());
                    return new Answer(response.getStatusCode().value(), text.isBlank() ? JSON.nullNode() : JSON.readTree(text));
                });
    }

    private static String range(Instant from, Instant to) {
        return "{\"from\": \"" + from + "\", \"to\": \"" + to + "\"}";
    }

    private JsonNode backfills(String sink) throws Exception {
        return JSON.readTree(connector.http().get().uri("/api/sinks/" + sink + "/backfills").retrieve().body(String.class));
    }

    private JsonNode backfillOf(String sink, long id) throws Exception {
        return JSON.readTree(connector.http().get().uri("/api/sinks/" + sink + "/backfills/" + id).retrieve().body(String.class));
    }

    private JsonNode awaitFinished(String sink, long id) throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> backfillOf(sink, id).get("state").asText().equals("finished"));
        return backfillOf(sink, id);
    }

    /** The receiver's requests by webhook-id ({@code <caseId>:<revision>}). */
    private Map<String, Long> requestsById() {
        return receiver.findAll(postRequestedFor(urlEqualTo(HOOK))).stream().filter(r -> r.getHeader("webhook-id") != null)
                .collect(Collectors.groupingBy(r -> r.getHeader("webhook-id"), Collectors.counting()));
    }

    private void awaitRecords(int records) {
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT COUNT(*) FROM case_record") == records);
    }

    private Instant emittedAt(String aggregate) {
        return connector.jdbc().queryForObject("SELECT " + aggregate + "(emitted_at) FROM case_record", OffsetDateTime.class).toInstant();
    }

    private void publishClosedCase(String caseId, String time) throws Exception {
        publish("case.created", """
                {"eventTime": "2026-11-23T%s.000Z", "caseId": "%s", "caseTypeId": "type-orders"}""".formatted(time, caseId));
        publish("case.opened", """
                {"eventTime": "2026-11-23T%s.100Z", "caseId": "%s", "agentId": "agent-1", "groupId": "group-1"}""".formatted(time, caseId));
        publish("case.closed", """
                {"eventTime": "2026-11-23T%s.200Z", "caseId": "%s", "outcome": "positive"}""".formatted(time, caseId));
        publish("case.transcriptClosed", """
                {"eventTime": "2026-11-23T%s.300Z", "caseId": "%s", "transcript": {"messages": []}}""".formatted(time, caseId));
    }

    private void publish(String key, String body) throws Exception {
        vep.publish(setup.exchange(), key, body);
    }

    private long count(String sql) {
        Long count = connector.jdbc().queryForObject(sql, Long.class);
        return count == null ? 0 : count;
    }

    private JsonNode file(String caseId) {
        Path file = out.resolve("cases").resolve(caseId + ".json");
        try {
            return Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : null;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
