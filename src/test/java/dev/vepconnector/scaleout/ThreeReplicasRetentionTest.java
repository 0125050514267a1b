package dev.vepconnector.scaleout;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
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
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Retention and erasure with three replicas on one PostgreSQL: every replica purges, none removes what
 * another still needs or what another removed already, and an erasure asked of one replica is done for
 * all of them.
 */
class ThreeReplicasRetentionTest {

    static final int CASES = 300;
    static final String PREFIX = "retained-case-";
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
    void threeReplicasPurgeAndEraseTogether() throws Exception {
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/hooks")).willReturn(aResponse().withStatus(200)));
        vep.declareExchange(setup.exchange());
        replicas = Replicas.onNewDatabase(setup, "vep_retention_");
        Path out = setup.dataDirectory().resolve("shared-out");
        for (int r = 0; r < 3; r++) {
            start(out);
        }
        await().atMost(ConnectorProcess.START_PATIENCE).until(() -> replicas.all().stream().allMatch(ConnectorProcess::isConsuming));

        vep.publishAll(setup.exchange(), CaseStream.stream(PREFIX, CASES));
        for (int g = 0; g < 5; g++) {
            vep.publish(setup.exchange(), "group.loadChanged", """
                    {"eventTime": "2026-11-23T10:00:00.000Z", "groupId": "group-%d", "numberOfVisitorsInQueue": %d}""".formatted(g, g));
        }
        await().atMost(Duration.ofMinutes(3)).until(() -> IntStream.range(0, CASES)
                .allMatch(i -> Files.exists(out.resolve("cases").resolve(CaseStream.caseId(PREFIX, i) + ".json"))));

        String byId = CaseStream.caseId(PREFIX, 1);
        JsonNode erasedById = JSON.readTree(replicas.get(0).http().delete().uri("/api/cases/" + byId).retrieve().body(String.class));
        assertThat(erasedById.get("caseIds").toString()).isEqualTo("[\"" + byId + "\"]");
        JsonNode erasedByProfile = JSON.readTree(replicas.get(1).http().post().uri("/api/privacy/erasures")
                .header("Content-Type", "application/json").body("{\"visitorProfile\": {\"orderNo\": \"A-297\"}}").retrieve().body(String.class));
        assertThat(erasedByProfile.get("caseIds").toString()).as("found in its events or, once they went, its record")
                .isEqualTo("[\"" + CaseStream.caseId(PREFIX, 297) + "\"]");

        await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
            assertThat(replicas.count("SELECT COUNT(*) FROM event_log")).as("events, group events").isZero();
            assertThat(replicas.count("SELECT COUNT(*) FROM case_record")).as("record revisions").isZero();
            assertThat(replicas.count("SELECT COUNT(*) FROM sink_delivery")).as("deliveries").isZero();
        });
        assertThat(out.resolve("cases").resolve(byId + ".json")).as("erased through one replica's file sink").doesNotExist();
        assertThat(out.resolve("cases").resolve(CaseStream.caseId(PREFIX, 297) + ".json")).doesNotExist();
        assertThat(out.resolve("cases").resolve(CaseStream.caseId(PREFIX, 2) + ".json")).as("purged, not erased: the sink keeps it").exists();
        for (ConnectorProcess replica : replicas.all()) {
            int status = replica.http().get().uri("/api/cases/" + byId).exchange((req, response) -> response.getStatusCode().value());
            assertThat(status).isEqualTo(404);
            assertThat(replica.http().get().uri("/api/groups").retrieve().body(JsonNode.class)).as("the group state stays").hasSize(5);
        }
        long caseEvents = IntStream.range(0, CASES).mapToLong(CaseStream::eventCount).sum();
        long erasedEvents = erasedById.get("events").asLong() + erasedByProfile.get("events").asLong();
        assertThat(purged("events") + erasedEvents).as("every case event purged or erased once, by one of the replicas").isEqualTo(caseEvents);
        assertThat(purged("group-events")).isEqualTo(5);
        assertThat(purged("case-records")).as("a revision per case at least").isGreaterThanOrEqualTo(CASES - 2);
        for (int r = 0; r < 3; r++) {
            assertThat(Files.readString(replicas.log(r))).doesNotContain("ERROR", "deadlock");
        }
    }

    /** The purged rows of a class, summed over the replicas. */
    private long purged(String dataClass) {
        return (long) replicas.all().stream().flatMap(replica -> replica.http().get().uri("/actuator/prometheus").retrieve().body(String.class).lines())
                .filter(line -> line.startsWith("vep_retention_purged_total{") && line.contains("class=\"" + dataClass + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private void start(Path out) {
        replicas.start("--vep.sinks.file.directory=" + out, "--vep.sinks.file.pretty=false",
                "--vep.sinks.webhook.enabled=true", "--vep.sinks.webhook.url=http://127.0.0.1:" + receiver.port() + "/hooks",
                "--vep.retention.events=2s", "--vep.retention.group-events=2s", "--vep.retention.case-records=15s",
                "--vep.retention.dead-letters=2s", "--vep.retention.purge-interval=200ms", "--vep.retention.batch-size=50",
                "--logging.level.root=WARN");
    }
}
