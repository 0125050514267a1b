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
import dev.vepconnector.support.CaseStream;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.RunningConnector;
import dev.vepconnector.support.TestDatabase;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * Two replicas sharing PostgreSQL, both looking for backfill work: a backfill asked of one is queued once, in
 * batches whichever replica locks the backfill runs, delivered by both, and each replica shows the same
 * progress; every record of the range reaches the receiver once more, none twice.
 */
class BackfillReplicasTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int CASES = 60;

    final Setup setup = Setup.unique();
    final FakeVep vep = new FakeVep();
    final WireMockServer receiver = new WireMockServer(options().dynamicPort());
    final List<RunningConnector> replicas = new ArrayList<>();

    @AfterEach
    void tearDown() {
        replicas.forEach(RunningConnector::close);
        receiver.stop();
        vep.deleteQueue(setup.queue());
        vep.deleteExchange(setup.exchange());
        vep.close();
    }

    @Test
    void aBackfillIsQueuedOnceAndDeliveredOnceAcrossReplicas() throws Exception {
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/hooks")).willReturn(aResponse().withStatus(204)));
        vep.declareExchange(setup.exchange());
        Map<String, String> database = TestDatabase.createPostgres("vep_backfill_" + setup.queue().substring(5, 13));
        for (int i = 0; i < 2; i++) {
            List<String> args = new ArrayList<>(List.of("--vep.sinks.file.enabled=false", "--vep.sinks.webhook.enabled=true",
                    "--vep.sinks.webhook.url=http://127.0.0.1:" + receiver.port() + "/hooks", "--vep.sinks.webhook.concurrency=4",
                    "--vep.backfill.batch-size=10", "--vep.backfill.interval=200ms"));
            database.forEach((key, value) -> args.add("--" + key + "=" + value));
            replicas.add(RunningConnector.start(setup.arguments(args.toArray(String[]::new))));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> replicas.stream().allMatch(RunningConnector::isConsuming));
        vep.publishAll(setup.exchange(), CaseStream.stream("spread-", CASES));
        await().atMost(Duration.ofSeconds(60)).until(() -> replicas.get(0).jdbc().queryForObject(
                "SELECT COUNT(DISTINCT case_id) FROM sink_delivery WHERE state = 'DELIVERED'", Long.class) == CASES
                && replicas.get(0).jdbc().queryForObject("SELECT COUNT(*) FROM sink_delivery WHERE state <> 'DELIVERED'", Long.class) == 0);
        OffsetDateTime last = replicas.get(0).jdbc().queryForObject("SELECT MAX(emitted_at) FROM case_record", OffsetDateTime.class);
        long records = replicas.get(0).jdbc().queryForObject("SELECT COUNT(*) FROM case_record", Long.class);

        JsonNode started = JSON.readTree(replicas.get(0).http().post().uri("/api/sinks/webhook/backfill").contentType(MediaType.APPLICATION_JSON)
                .body("{\"from\": \"2026-01-01T00:00:00Z\", \"to\": \"" + last.plusSeconds(1).toInstant() + "\"}").retrieve().body(String.class));
        long id = started.get("id").asLong();
        await().atMost(Duration.ofSeconds(60)).until(() -> backfill(1, id).get("state").asText().equals("finished"));

        JsonNode finished = backfill(0, id);
        assertThat(finished.get("queued").asLong()).as("each case's latest revision, queued once").isEqualTo(CASES);
        assertThat(finished.get("delivered").asLong()).isEqualTo(CASES);
        assertThat(backfill(1, id)).isEqualTo(finished);
        Map<String, Long> perRecord = receiver.findAll(postRequestedFor(urlEqualTo("/hooks"))).stream()
                .collect(Collectors.groupingBy(r -> r.getHeader("webhook-id"), Collectors.counting()));
        assertThat(perRecord).hasSize((int) records);
        long latestTwice = perRecord.entrySet().stream().filter(e -> e.getValue() == 2).count();
        assertThat(latestTwice).as("live and backfilled").isEqualTo(CASES);
        assertThat(perRecord.values()).allSatisfy(n -> assertThat(n).isBetween(1L, 2L));
    }

    private JsonNode backfill(int replica, long id) throws Exception {
        return JSON.readTree(replicas.get(replica).http().get().uri("/api/sinks/webhook/backfills/" + id).retrieve().body(String.class));
    }
}
