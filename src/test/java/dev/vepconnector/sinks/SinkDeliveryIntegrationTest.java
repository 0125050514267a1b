package dev.vepconnector.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.RunningConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The delivery queue as operators meet it: a sink that is down does not stop ingestion and gets every
 * record, revisions in order, once it is back; exhausted deliveries become dead letters that the API
 * lists and replays; the route in routes/ decides which records a sink gets; a sink switched off gets none.
 */
class SinkDeliveryIntegrationTest {

    static final ObjectMapper JSON = new ObjectMapper();

    final Setup setup = Setup.unique();
    final FakeVep vep = new FakeVep();
    final Path out = setup.dataDirectory().resolve("out");
    RunningConnector connector;

    @BeforeEach
    void vepExchange() throws Exception {
        vep.declareExchange(setup.exchange());
    }

    @AfterEach
    void cleanUp() {
        if (connector != null) {
            connector.close();
        }
        vep.deleteQueue(setup.queue());
        vep.deleteExchange(setup.exchange());
        vep.close();
    }

    @Test
    void aSinkDownForAWhileDelaysNothingAndGetsEveryRevisionInOrderWhenBack() throws Exception {
        breakTheFileSink();
        start("--vep.sinks.file.retry.initial-backoff=100ms", "--vep.sinks.file.retry.max-backoff=300ms",
                "--vep.sinks.file.retry.max-attempts=1000");

        List<String> cases = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String caseId = "outage-" + i;
            cases.add(caseId);
            publishClosedCase(caseId, "09:%02d:00".formatted(i), "unresolved");
        }
        // Ingestion and aggregation go on while the sink fails.
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT COUNT(*) FROM case_record") == 30);
        for (int i = 0; i < 30; i++) {
            publishReopenAndClose(cases.get(i), "10:%02d:00".formatted(i));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT COUNT(*) FROM case_record") == 60);
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("vep_sink_retried_total") > 0);
        assertThat(metric("vep_sink_delivered_total")).isZero();
        assertThat(connector.isConsuming()).isTrue();

        repairTheFileSink();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String caseId : cases) {
                JsonNode record = file(caseId);
                assertThat(record).as(caseId).isNotNull();
                assertThat(record.get("revision").asInt()).as(caseId).isEqualTo(2);
            }
        });
        assertThat(metric("vep_sink_delivered_total")).isEqualTo(60.0);
        // Revision 1 of each case was delivered before revision 2.
        assertThat(count("""
                SELECT COUNT(*) FROM sink_delivery a JOIN sink_delivery b ON a.sink = b.sink AND a.case_id = b.case_id
                WHERE a.revision = 1 AND b.revision = 2 AND a.finished_at <= b.finished_at AND a.state = 'DELIVERED'
                  AND b.state = 'DELIVERED'""")).isEqualTo(30);
    }

    @Test
    void aBacklogIsWrittenSeveralRecordsAtOnceYetEachCaseInRevisionOrder() throws Exception {
        breakTheFileSink();
        start("--vep.sinks.file.concurrency=4", "--vep.sinks.file.retry.initial-backoff=100ms",
                "--vep.sinks.file.retry.max-backoff=300ms", "--vep.sinks.file.retry.max-attempts=1000");
        List<String> cases = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            cases.add("backlog-" + i);
            publishClosedCase(cases.get(i), "09:%02d:00".formatted(i), "unresolved");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT COUNT(*) FROM case_record") == 30);
        for (int i = 0; i < 30; i++) {
            publishReopenAndClose(cases.get(i), "10:%02d:00".formatted(i));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT COUNT(*) FROM case_record") == 60);

        try (TemporaryFiles writes = TemporaryFiles.watch(Files.createDirectories(setup.dataDirectory().resolve("repaired")))) {
            repairTheFileSinkAt(writes.folder());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (String caseId : cases) {
                    assertThat(file(caseId)).as(caseId).isNotNull();
                    assertThat(file(caseId).get("revision").asInt()).as(caseId).isEqualTo(2);
                }
            });
            assertThat(writes.mostAtOnce()).as("records being written at the same moment").isGreaterThan(1);
        }
        assertThat(metric("vep_sink_delivered_total")).isEqualTo(60.0);
        assertThat(count("""
                SELECT COUNT(*) FROM sink_delivery a JOIN sink_delivery b ON a.sink = b.sink AND a.case_id = b.case_id
                WHERE a.revision = 1 AND b.revision = 2 AND a.finished_at <= b.finished_at AND a.state = 'DELIVERED'
                  AND b.state = 'DELIVERED'""")).isEqualTo(30);
    }

    @Test
    void exhaustedDeliveriesAreDeadLettersThatTheApiListsAndReplays() throws Exception {
        breakTheFileSink();
        start("--vep.sinks.file.retry.initial-backoff=50ms", "--vep.sinks.file.retry.max-attempts=2");
        publishClosedCase("dead-1", "09:00:00", "positive");
        publishClosedCase("dead-2", "09:01:00", "positive");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(deadLetters()).hasSize(2));
        Map<String, Object> dead = deadLetters().get(0);
        assertThat(dead.get("attempts")).isEqualTo(2);
        assertThat((String) dead.get("lastError")).contains("gave up after 2 attempts");
        assertThat(metric("vep_sink_dead_lettered_total")).isEqualTo(2.0);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(sinks()).singleElement().satisfies(sink -> {
                    assertThat(sink).containsEntry("deadLetters", 2);
                    assertThat(sink.get("delivered")).as("a count, written as an integer").isInstanceOf(Integer.class);
                }));

        repairTheFileSink();
        Number id = (Number) dead.get("id");
        assertThat(replay("/api/sinks/file/dead-letters/" + id + "/replay")).containsEntry("replayed", 1);
        assertThat(replay("/api/sinks/file/dead-letters/replay")).containsEntry("replayed", 1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(file("dead-1")).isNotNull();
            assertThat(file("dead-2")).isNotNull();
        });
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void theSinksRouteFileDecidesWhichRecordsItGets() throws Exception {
        Path routes = Files.createDirectories(setup.dataDirectory().resolve("routes"));
        Files.copy(Path.of("routes/sink-errors.yaml"), routes.resolve("sink-errors.yaml"));
        Files.writeString(routes.resolve("orders-only.yaml"), """
                - route:
                    id: sink-file
                    routeConfigurationId: vep-sinks
                    from:
                      uri: "vep-sink:file"
                      steps:
                        - filter:
                            simple: "${header.vepCaseType} != 'Orders'"
                            steps:
                              - stop: {}
                        - bean: {ref: fileSink, method: prepare}
                        - to: "file:{{vep.sinks.file.directory}}/cases?fileName=.${header.vepCaseId}.${exchangeId}.tmp"
                        - bean: {ref: fileSink, method: publish}
                """);
        start("--camel.main.routes-include-pattern=file:" + routes + "/*.yaml");
        publish("configuration.caseType", """
                {"eventTime": "2026-11-23T08:00:00.000Z", "caseTypeId": "type-orders", "caseTypeName": "Orders"}""");
        publish("configuration.caseType", """
                {"eventTime": "2026-11-23T08:00:00.000Z", "caseTypeId": "type-returns", "caseTypeName": "Returns"}""");
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT COUNT(*) FROM configured_entity WHERE version > 0") == 2);
        publishClosedCase("returns-case", "09:00:00", "positive", "type-returns");
        publishClosedCase("orders-case", "09:01:00", "positive", "type-orders");

        await().atMost(Duration.ofSeconds(20)).until(() -> file("orders-case") != null);
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT COUNT(*) FROM sink_delivery WHERE case_id = 'returns-case'"
                + " AND state = 'DELIVERED'") == 1);
        assertThat(file("returns-case")).as("filtered out: done, no file").isNull();
        assertThat(deadLetters()).isEmpty();
        assertThat(count("SELECT COUNT(*) FROM sink_delivery WHERE sink = 'salesforce'")).as("salesforce is not enabled").isZero();
    }

    @Test
    void aSinkSwitchedOffGetsNothing() throws Exception {
        start("--vep.sinks.file.enabled=false");
        publishClosedCase("no-sink", "09:00:00", "positive");
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT COUNT(*) FROM case_record WHERE case_id = 'no-sink'") == 1);
        assertThat(sinks()).isEmpty();
        String refusal = connector.http().get().uri("/api/sinks/file/dead-letters").exchange((request, response) -> {
            assertThat(response.getStatusCode().value()).isEqualTo(404);
            return new String(response.getBody().readAllBytes());
        });
        assertThat(refusal).as("the 404 says why").contains("No enabled sink named file");
        assertThat(count("SELECT COUNT(*) FROM sink_delivery")).isZero();
        assertThat(Files.exists(out.resolve("cases"))).isFalse();
    }

    // --- helpers -------------------------------------------------------------------------------

    private void start(String... extra) {
        List<String> args = new ArrayList<>(List.of(extra));
        args.add("--vep.sinks.file.directory=" + out);
        connector = RunningConnector.start(setup.arguments(args.toArray(String[]::new)));
        await().atMost(Duration.ofSeconds(30)).until(connector::isConsuming);
    }

    /** A regular file where the sink's cases folder belongs: every write fails, as on a lost mount. */
    private void breakTheFileSink() throws Exception {
        Files.createDirectories(out);
        Files.writeString(out.resolve("cases"), "not a folder");
    }

    private void repairTheFileSink() throws Exception {
        Files.delete(out.resolve("cases"));
    }

    /**
     * Repairs the sink by putting a real folder, {@code cases}, where the broken one was: a symbolic link
     * to {@code folder}, so a watcher registered on that folder sees every write from the first.
     */
    private void repairTheFileSinkAt(Path folder) throws Exception {
        Files.delete(out.resolve("cases"));
        Files.createSymbolicLink(out.resolve("cases"), folder);
    }

    /** The sink's temporary files as they come and go (inotify reports them in order), and how many existed at once. */
    private static final class TemporaryFiles implements AutoCloseable {
        private final Path folder;
        private final java.nio.file.WatchService watch;
        private final java.util.Set<String> existing = new java.util.HashSet<>();
        private int mostAtOnce;

        private TemporaryFiles(Path folder) throws java.io.IOException {
            this.folder = folder;
            this.watch = folder.getFileSystem().newWatchService();
            folder.register(watch, java.nio.file.StandardWatchEventKinds.ENTRY_CREATE, java.nio.file.StandardWatchEventKinds.ENTRY_DELETE);
        }

        static TemporaryFiles watch(Path folder) throws java.io.IOException {
            return new TemporaryFiles(folder);
        }

        Path folder() {
            return folder;
        }

        int mostAtOnce() {
            for (java.nio.file.WatchKey key = watch.poll(); key != null; key = watch.poll()) {
                for (java.nio.file.WatchEvent<?> event : key.pollEvents()) {
                    String name = String.valueOf(event.context());
                    if (!name.endsWith(".tmp")) {
                        continue;
                    }
                    if (event.kind() == java.nio.file.StandardWatchEventKinds.ENTRY_CREATE) {
                        existing.add(name);
                        mostAtOnce = Math.max(mostAtOnce, existing.size());
                    } else {
                        existing.remove(name);
                    }
                }
                key.reset();
            }
            return mostAtOnce;
        }

        @Override
        public void close() throws java.io.IOException {
            watch.close();
        }
    }

    private void publishClosedCase(String caseId, String time, String outcome) throws Exception {
        publishClosedCase(caseId, time, outcome, "type-orders");
    }

    private void publishClosedCase(String caseId, String time, String outcome, String caseType) throws Exception {
        publish("case.created", """
                {"eventTime": "2026-11-23T%s.000Z", "caseId": "%s", "caseTypeId": "%s"}""".formatted(time, caseId, caseType));
        publish("case.opened", """
                {"eventTime": "2026-11-23T%s.100Z", "caseId": "%s", "agentId": "agent-1", "groupId": "group-1"}""".formatted(time, caseId));
        publish("case.closed", """
                {"eventTime": "2026-11-23T%s.200Z", "caseId": "%s", "outcome": "%s"}""".formatted(time, caseId, outcome));
        publish("case.transcriptClosed", """
                {"eventTime": "2026-11-23T%s.300Z", "caseId": "%s", "transcript": {"messages": []}}""".formatted(time, caseId));
    }

    private void publishReopenAndClose(String caseId, String time) throws Exception {
        vep.publishReopenAndClose(setup.exchange(), caseId, time);
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

    private double metric(String name) {
        String text = connector.management().get().uri("/actuator/prometheus").retrieve().body(String.class);
        return text.lines().filter(l -> l.startsWith(name + "{") && l.contains("sink=\"file\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> deadLetters() {
        return connector.http().get().uri("/api/sinks/file/dead-letters").retrieve().body(List.class);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> sinks() {
        return connector.http().get().uri("/api/sinks").retrieve().body(List.class);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> replay(String path) {
        return connector.http().post().uri(path).retrieve().body(Map.class);
    }
}
