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
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.RunningConnector;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sinks added the way an integration team adds them: route files in a folder of their own and a config
 * block each, no Java. A CRM receiver that is down for a while gets every revision once it is back, in
 * order and none twice, in the body shape it wants; a sink with a filter gets only what it filters; a
 * sink whose step throws fills its own dead letters, while no VEP event is dead-lettered and the other
 * sinks get every record whole.
 */
class SinkRouteFilesIntegrationTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int CASES = 10;

    final Setup setup = Setup.unique();
    final FakeVep vep = new FakeVep();
    final Path out = setup.dataDirectory().resolve("out");
    final Path routes = setup.dataDirectory().resolve("team-routes");
    WireMockServer crm;
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
        if (crm != null) {
            crm.stop();
        }
        vep.deleteQueue(setup.queue());
        vep.deleteExchange(setup.exchange());
        vep.close();
    }

    @Test
    void sinksAddedByRouteFilesGetTheirRecordsAndTheirFailuresStayTheirOwn() throws Exception {
        int crmPort = freePort();
        writeTeamRoutes(crmPort);
        connector = RunningConnector.start(setup.arguments(
                "--camel.main.routes-include-pattern=classpath:routes/*.yaml,file:" + routes + "/*.yaml",
                "--vep.sinks.file.directory=" + out,
                "--vep.sinks.crm.enabled=true", "--vep.sinks.crm.retry.initial-backoff=100ms",
                "--vep.sinks.crm.retry.max-backoff=500ms", "--vep.sinks.crm.retry.max-attempts=1000",
                "--vep.sinks.orders.enabled=true",
                "--vep.sinks.broken.enabled=true", "--vep.sinks.broken.retry.max-attempts=2",
                "--vep.sinks.broken.retry.initial-backoff=100ms"));
        await().atMost(Duration.ofSeconds(30)).until(connector::isConsuming);

        publish("configuration.caseType", """
                {"eventTime": "2026-11-23T08:00:00.000Z", "caseTypeId": "type-orders", "caseTypeName": "Orders"}""");
        publish("configuration.caseType", """
                {"eventTime": "2026-11-23T08:00:00.000Z", "caseTypeId": "type-returns", "caseTypeName": "Returns"}""");
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT COUNT(*) FROM configured_entity WHERE version > 0") == 2);
        List<String> cases = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            String caseId = "team-" + i;
            cases.add(caseId);
            publishClosedCase(caseId, "09:%02d:00".formatted(i), i % 2 == 0 ? "type-orders" : "type-returns");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT COUNT(*) FROM case_record") == CASES);
        for (int i = 0; i < CASES; i++) {
            publishReopenAndClose(cases.get(i), "10:%02d:00".formatted(i));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(count("SELECT COUNT(*) FROM case_record")).as("revisions emitted: %s", connector.jdbc()
                        .queryForList("SELECT case_id, MAX(revision) FROM case_record GROUP BY case_id")).isEqualTo(2L * CASES));
        await().atMost(Duration.ofSeconds(20)).until(() -> failedAttempts("crm") > 0);

        crm = new WireMockServer(options().port(crmPort).bindAddress("127.0.0.1"));
        crm.stubFor(post(urlEqualTo("/crm/cases")).willReturn(aResponse().withStatus(201)));
        crm.start();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(crm.findAll(postRequestedFor(urlEqualTo("/crm/cases")))).hasSize(2 * CASES));
        Map<String, List<LoggedRequest>> byCase = crm.findAll(postRequestedFor(urlEqualTo("/crm/cases"))).stream()
                .collect(Collectors.groupingBy(request -> body(request).get("id").asText()));
        assertThat(byCase).hasSize(CASES);
        byCase.forEach((caseId, requests) -> {
            assertThat(requests).as(caseId).extracting(request -> body(request).get("revision").asInt()).containsExactly(1, 2);
            assertThat(requests).as(caseId).extracting(request -> request.getHeader("Idempotency-Key"))
                    .containsExactly(caseId + ":1", caseId + ":2");
            assertThat(requests).as("the connector's own headers stay inside").allSatisfy(request ->
                    assertThat(request.getAllHeaderKeys()).noneMatch(header -> header.toLowerCase().startsWith("vep")));
        });

        // The filter sink: the Orders cases only, each revision.
        await().atMost(Duration.ofSeconds(20)).until(() -> pending("orders") == 0);
        assertThat(fileNames(out.resolve("orders"))).containsExactlyInAnyOrderElementsOf(cases.stream()
                .filter(caseId -> Integer.parseInt(caseId.substring("team-".length())) % 2 == 0)
                .flatMap(caseId -> Stream.of(caseId + "-1.json", caseId + "-2.json")).toList());

        // The failing sink: its own dead letters (the unresolved first revisions), nothing else touched.
        await().atMost(Duration.ofSeconds(20)).until(() -> pending("broken") == 0);
        List<Map<String, Object>> brokenDead = get("/api/sinks/broken/dead-letters", List.class);
        assertThat(brokenDead).hasSize(CASES).allSatisfy(dead -> {
            assertThat(dead.get("revision")).isEqualTo(1);
            assertThat((String) dead.get("lastError")).contains("no unresolved cases here");
        });
        assertThat(fileNames(out.resolve("broken"))).hasSize(CASES);
        Map<String, Object> vepDeadLetters = get("/api/dead-letters/count", Map.class);
        assertThat(vepDeadLetters).as("no VEP event dead-lettered").containsEntry("count", 0);
        for (String caseId : cases) {
            JsonNode record = JSON.readTree(out.resolve("cases").resolve(caseId + ".json").toFile());
            assertThat(record.get("revision").asInt()).as(caseId).isEqualTo(2);
            assertThat(record.get("transcriptMissing").asBoolean()).as(caseId).isFalse();
        }
    }

    private void writeTeamRoutes(int crmPort) throws Exception {
        Files.createDirectories(routes);
        Files.writeString(routes.resolve("crm.yaml"), """
                # A CRM that wants its own body shape, and an idempotency key of its own name.
                - route:
                    id: sink-crm
                    routeConfigurationId: vep-sinks
                    from:
                      uri: "vep-sink:crm"
                      steps:
                        - transform:
                            jq:
                              expression: '{id: .caseId, revision, outcome, messages: (.transcript.messages | length)}'
                              resultType: java.lang.String
                        - setHeader:
                            name: Idempotency-Key
                            simple: "${header.vepIdempotencyKey}"
                        - removeHeaders:
                            pattern: "vep*"
                        - to: "http://127.0.0.1:%d/crm/cases?httpMethod=POST"
                """.formatted(crmPort));
        Files.writeString(routes.resolve("orders.yaml"), """
                # The Orders cases only, one file per revision.
                - route:
                    id: sink-orders
                    routeConfigurationId: vep-sinks
                    from:
                      uri: "vep-sink:orders"
                      steps:
                        - filter:
                            simple: "${header.vepCaseType} == 'Orders'"
                            steps:
                              - to: "file:%s?fileName=${header.vepCaseId}-${header.vepRevision}.json"
                """.formatted(out.resolve("orders")));
        Files.writeString(routes.resolve("broken.yaml"), """
                # A step that fails for some records.
                - route:
                    id: sink-broken
                    routeConfigurationId: vep-sinks
                    from:
                      uri: "vep-sink:broken"
                      steps:
                        - filter:
                            simple: "${header.vepOutcome} == 'unresolved'"
                            steps:
                              - throwException:
                                  exceptionType: java.lang.IllegalStateException
                                  message: "no unresolved cases here"
                        - to: "file:%s?fileName=${header.vepCaseId}.json"
                """.formatted(out.resolve("broken")));
    }

    private void publishClosedCase(String caseId, String time, String caseType) throws Exception {
        publish("case.created", """
                {"eventTime": "2026-11-23T%s.000Z", "caseId": "%s", "caseTypeId": "%s"}""".formatted(time, caseId, caseType));
        publish("case.opened", """
                {"eventTime": "2026-11-23T%s.100Z", "caseId": "%s", "agentId": "agent-1", "groupId": "group-1"}""".formatted(time, caseId));
        publish("case.closed", """
                {"eventTime": "2026-11-23T%s.200Z", "caseId": "%s", "outcome": "unresolved"}""".formatted(time, caseId));
        publish("case.transcriptClosed", """
                {"eventTime": "2026-11-23T%s.300Z", "caseId": "%s", "transcript": {"messages": [
                  {"eventTime": "2026-11-23T%s.250Z", "speaker": {"visitorId": "visitor-1"}, "messageType": "chat", "message": "Where is my parcel?"}]}}"""
                .formatted(time, caseId, time));
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

    private long failedAttempts(String sink) {
        return count("SELECT COUNT(*) FROM sink_delivery WHERE sink = '" + sink + "' AND attempts > 0");
    }

    private long pending(String sink) {
        return count("SELECT COUNT(*) FROM sink_delivery WHERE sink = '" + sink + "' AND state = 'PENDING'");
    }

    @SuppressWarnings("unchecked")
    private <T> T get(String path, Class<?> type) {
        return (T) connector.http().get().uri(path).retrieve().body(type);
    }

    private static JsonNode body(LoggedRequest request) {
        try {
            return JSON.readTree(request.getBodyAsString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> fileNames(Path folder) throws java.io.IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).sorted(Comparator.naturalOrder()).toList();
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
