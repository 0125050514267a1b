package dev.vepconnector.scaleout;

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
import dev.vepconnector.support.ConnectorProcess;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.Replicas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scale-out as operators run it: three connector JVMs on one queue (competing consumers) and one
 * PostgreSQL, thousands of cases, one replica killed with {@code kill -9} halfway. Every case ends with
 * one complete record, each revision stored once, delivered once per sink (file and webhook), and every
 * replica's monitoring shows every group.
 */
class ThreeReplicasTest {

    static final int CASES = Integer.getInteger("vep.scaleout.cases", 2000);
    static final String PREFIX = "replica-case-";
    static final ObjectMapper JSON = new ObjectMapper();

    final Setup setup = Setup.unique();
    final FakeVep vep = new FakeVep();
    final WireMockServer receiver = new WireMockServer(options().dynamicPort());
    Replicas replicas;

    @AfterEach
    void cleanUp() {
        if (replicas != null) {
            replicas.close();
        }
        receiver.stop();
        vep.deleteQueue(setup.queue());
        vep.deleteExchange(setup.exchange());
        vep.close();
    }

    @Test
    void threeReplicasGiveTheRecordsOfOneEvenWhenOneIsKilled() throws Exception {
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/hooks")).willReturn(aResponse().withStatus(200)));
        vep.declareExchange(setup.exchange());
        replicas = Replicas.onNewDatabase(setup, "vep_replicas_");
        Path out = setup.dataDirectory().resolve("shared-out");
        for (int r = 0; r < 3; r++) {
            start(out);
        }
        await().atMost(ConnectorProcess.START_PATIENCE).until(() -> replicas.all().stream().allMatch(ConnectorProcess::isConsuming));

        List<String[]> stream = CaseStream.stream(PREFIX, CASES);
        for (int g = 0; g < 5; g++) {
            vep.publish(setup.exchange(), "group.loadChanged", """
                    {"eventTime": "2026-11-23T10:00:00.000Z", "groupId": "group-%d", "numberOfVisitorsInQueue": %d}""".formatted(g, g));
        }
        AtomicInteger published = new AtomicInteger();
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
            try {
                for (String[] event : stream) {
                    vep.publish(setup.exchange(), event[0], event[1]);
                    published.incrementAndGet();
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        await().atMost(Duration.ofMinutes(3)).until(() -> published.get() >= stream.size() / 2);
        replicas.get(1).kill9();
        publishing.get();
        long afterPublish = System.nanoTime();

        await().atMost(Duration.ofMinutes(3)).until(() -> replicas.count("SELECT COUNT(DISTINCT case_id) FROM sink_delivery "
                + "WHERE sink = 'webhook' AND state = 'DELIVERED'") == CASES
                && replicas.count("SELECT COUNT(*) FROM sink_delivery WHERE state <> 'DELIVERED'") == 0);
        long settledMs = (System.nanoTime() - afterPublish) / 1_000_000;

        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            Path file = out.resolve("cases").resolve(CaseStream.caseId(PREFIX, i) + ".json");
            String problem = Files.exists(file) ? CaseStream.check(i, JSON.readTree(file.toFile()), true) : "no record";
            if (problem != null) {
                wrong.add(CaseStream.caseId(PREFIX, i) + ": " + problem);
            }
        }
        assertThat(wrong).isEmpty();
        // Each revision exists once, revisions of a case are 1..n, the file holds the latest.
        assertThat(replicas.count("SELECT COUNT(*) FROM (SELECT case_id FROM case_record GROUP BY case_id HAVING MAX(revision) <> COUNT(*)) gaps"))
                .isZero();
        long revisions = replicas.count("SELECT COUNT(*) FROM case_record");
        assertThat(replicas.count("SELECT COUNT(*) FROM sink_delivery WHERE sink = 'file' AND state = 'DELIVERED'")).isEqualTo(revisions);
        Map<String, Long> webhookIds = receiver.findAll(postRequestedFor(urlEqualTo("/hooks"))).stream()
                .collect(Collectors.groupingBy(r -> r.getHeader("webhook-id"), Collectors.counting()));
        assertThat(webhookIds).hasSize((int) revisions);
        long redelivered = webhookIds.values().stream().mapToLong(n -> n - 1).sum();
        // At least once: only what the killed replica had in hand may come twice (its claimed batch).
        assertThat(redelivered).isLessThanOrEqualTo(50);

        for (ConnectorProcess replica : List.of(replicas.get(0), replicas.get(2))) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(replica.http().get().uri("/api/groups").retrieve().body(JsonNode.class)).hasSize(5));
        }
        System.out.printf("[figures] scale-out: replicas=3 killed=1 cases=%d events=%d revisions=%d wrong=%d "
                + "webhook-redeliveries=%d settled-after-last-publish=%d ms%n", CASES, stream.size(), revisions, wrong.size(),
                redelivered, settledMs);
    }

    private void start(Path out) {
        replicas.start("--vep.sinks.file.directory=" + out, "--vep.sinks.file.pretty=false",
                "--vep.sinks.webhook.enabled=true", "--vep.sinks.webhook.url=http://127.0.0.1:" + receiver.port() + "/hooks",
                "--vep.monitoring.refresh-interval=500ms", "--logging.level.root=WARN");
    }
}
