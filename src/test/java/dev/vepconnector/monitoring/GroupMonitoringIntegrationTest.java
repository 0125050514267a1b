package dev.vepconnector.monitoring;

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
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Queue monitoring over the real broker: the merge rules (partial events keep values, older events
 * never overwrite newer ones), the operator contract's API and gauges, the live feed, and throttled
 * forwarding that still counts every event, and the shipped group-status route's log line per status change.
 */
@ExtendWith(OutputCaptureExtension.class)
class GroupMonitoringIntegrationTest {

    static final Setup SETUP = Setup.unique();
    static final FakeVep VEP = new FakeVep();
    static final ObjectMapper JSON = new ObjectMapper();
    static final WireMockServer RECEIVER = new WireMockServer(options().dynamicPort());
    static RunningConnector connector;

    @BeforeAll
    static void start() throws Exception {
        RECEIVER.start();
        RECEIVER.stubFor(post(urlEqualTo("/snapshots")).willReturn(aResponse().withStatus(204)));
        VEP.declareExchange(SETUP.exchange());
        connector = RunningConnector.start(SETUP.arguments("--vep.monitoring.refresh-interval=300ms",
                "--vep.monitoring.history-interval=200ms", "--vep.monitoring.service-level-target=90s",
                "--vep.monitoring.forward.enabled=true",
                "--vep.monitoring.forward.url=http://127.0.0.1:" + RECEIVER.port() + "/snapshots",
                "--vep.monitoring.forward.interval=1s", "--vep.monitoring.forward.headers.X-Api-Key=k-123",
                // only the group of the status test has limits (by its id)
                "--vep.monitoring.thresholds.groups.g-status.visitors-in-queue-warning=2",
                "--vep.monitoring.thresholds.groups.g-status.visitors-in-queue-alert=3"));
        await().atMost(Duration.ofSeconds(30)).until(connector::isConsuming);
    }

    @AfterAll
    static void stop() {
        connector.close();
        RECEIVER.stop();
        VEP.deleteQueue(SETUP.queue());
        VEP.deleteExchange(SETUP.exchange());
        VEP.close();
    }

    @Test
    void partialAndOlderEventsMergeIntoTheLatestStateShownByTheApiAndTheGauges() throws Exception {
        publish("configuration.group", """
                {"eventTime": "2026-11-23T08:00:00.000Z", "groupId": "g-billing", "groupName": "Billing",
                 "groupExternalId": {"Salesforce": "00G1"}}""");
        publish("group.loadChanged", """
                {"eventTime": "2026-11-23T10:00:00.000Z", "groupId": "g-billing", "numberOfAvailableAgents": 4,
                 "numberOfVisitorsInQueue": 7, "numberOfVisitorsInConversation": 3}""");
        // Partial: only the queue changed.
        publish("group.loadChanged", """
                {"eventTime": "2026-11-23T10:00:05.000Z", "groupId": "g-billing", "numberOfVisitorsInQueue": 5}""");
        // Older than what is known: must not win.
        publish("group.loadChanged", """
                {"eventTime": "2026-11-23T09:59:00.000Z", "groupId": "g-billing", "numberOfAvailableAgents": 1,
                 "numberOfVisitorsInQueue": 99}""");
        publish("group.performanceTimers", """
                {"eventTime": "2026-11-23T10:00:06.000Z", "groupId": "g-billing", "averageWaitingTime": 42500,
                 "longestWaitingTime": 125000}""");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode group = group("g-billing");
            assertThat(group).isNotNull();
            assertThat(group.get("events").asLong()).isEqualTo(4);
        });
        JsonNode group = group("g-billing");
        assertThat(group.get("name").asText()).isEqualTo("Billing");
        assertThat(group.get("externalIds").get("Salesforce").asText()).isEqualTo("00G1");
        assertThat(group.get("numberOfAvailableAgents").asLong()).isEqualTo(4);
        assertThat(group.get("numberOfVisitorsInQueue").asLong()).isEqualTo(5);
        assertThat(group.get("numberOfVisitorsInConversation").asLong()).isEqualTo(3);
        assertThat(group.get("averageWaitingTime").asLong()).isEqualTo(42500);
        assertThat(group.get("longestWaitingTime").asLong()).isEqualTo(125000);
        assertThat(java.time.Instant.parse(group.get("longestWaitingTimeAt").asText()))
                .as("when VEP reported the longest wait, not when the group last changed")
                .isEqualTo(java.time.Instant.parse("2026-11-23T10:00:06Z"));
        assertThat(group.has("updatedAt")).isTrue();
        assertThat(group.get("serviceLevelTarget").asLong()).as("vep.monitoring.service-level-target, ms").isEqualTo(90_000);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(prometheus()).contains(
                "vep_group_available_agents{application=\"vep-connector\",group=\"Billing\",group_id=\"g-billing\"} 4.0",
                "vep_group_visitors_in_queue{application=\"vep-connector\",group=\"Billing\",group_id=\"g-billing\"} 5.0",
                "vep_group_visitors_in_conversation{application=\"vep-connector\",group=\"Billing\",group_id=\"g-billing\"} 3.0",
                "vep_group_average_waiting_time_seconds{application=\"vep-connector\",group=\"Billing\",group_id=\"g-billing\"} 42.5",
                "vep_group_longest_waiting_time_seconds{application=\"vep-connector\",group=\"Billing\",group_id=\"g-billing\"} 125.0"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                connector.http().get().uri("/api/groups/g-billing/history").retrieve().body(JsonNode.class))
                .anySatisfy(sample -> assertThat(sample.get("numberOfVisitorsInQueue").asLong()).isEqualTo(5)));
    }

    @Test
    void theLiveFeedSendsEachChange() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(connector.baseUrl() + "/api/groups/stream"))
                .header("Accept", "text/event-stream").build();
        var stream = client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.get().body(), StandardCharsets.UTF_8))) {
                lines.lines().filter(l -> l.startsWith("data:")).forEach(received::add);
            } catch (Exception e) {
                // the stream ends with the test
            }
        });
        reader.setDaemon(true);
        reader.start();

        publish("group.loadChanged", """
                {"eventTime": "2026-11-23T11:00:00.000Z", "groupId": "g-feed", "numberOfVisitorsInQueue": 12}""");
        await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().anyMatch(l -> l.contains("\"g-feed\"")
                && l.contains("\"numberOfVisitorsInQueue\":12")));
        publish("group.loadChanged", """
                {"eventTime": "2026-11-23T11:00:01.000Z", "groupId": "g-feed", "numberOfVisitorsInQueue": 13}""");
        await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().anyMatch(l -> l.contains("\"g-feed\"")
                && l.contains("\"numberOfVisitorsInQueue\":13")));
        stream.cancel(true);
    }

    @Test
    void forwardedSnapshotsAreThrottledButCountEveryEvent() throws Exception {
        for (int i = 0; i < 40; i++) {
            publish("group.loadChanged", """
                    {"eventTime": "2026-11-23T12:00:%02d.000Z", "groupId": "g-forward", "numberOfVisitorsInQueue": %d}""".formatted(i, i));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> forwardedCount("g-forward") == 40);
        var requests = RECEIVER.findAll(postRequestedFor(urlEqualTo("/snapshots")));
        long snapshotsWithForward = requests.stream().filter(r -> r.getBodyAsString().contains("g-forward")).count();
        assertThat(snapshotsWithForward).as("throttled: fewer snapshots than events").isLessThan(40);
        assertThat(requests).allSatisfy(r -> assertThat(r.getHeader("X-Api-Key")).isEqualTo("k-123"));
        JsonNode last = JSON.readTree(requests.get(requests.size() - 1).getBodyAsString());
        assertThat(last.get("groups")).anySatisfy(g -> {
            assertThat(g.get("groupId").asText()).isEqualTo("g-forward");
            assertThat(g.get("numberOfVisitorsInQueue").asLong()).isEqualTo(39);
        });
    }

    @Test
    void theShippedGroupStatusRouteLogsOneLinePerStatusChangeWithTheGroupsNameAndBothStatuses(CapturedOutput output) throws Exception {
        publish("configuration.group", """
                {"eventTime": "2026-11-23T08:00:00.000Z", "groupId": "g-status", "groupName": "Returns desk"}""");
        publish("group.loadChanged", """
                {"eventTime": "2026-11-23T14:00:00.000Z", "groupId": "g-status", "numberOfVisitorsInQueue": 1}""");
        publish("group.loadChanged", """
                {"eventTime": "2026-11-23T14:00:01.000Z", "groupId": "g-status", "numberOfVisitorsInQueue": 4}""");
        String toAlert = "Group Returns desk: ok -> alert 4 waiting (alert at 3)";
        await().atMost(Duration.ofSeconds(20)).until(() -> output.getOut().contains(toAlert));
        publish("group.loadChanged", """
                {"eventTime": "2026-11-23T14:00:02.000Z", "groupId": "g-status", "numberOfVisitorsInQueue": 0}""");
        String toOk = "Group Returns desk: alert -> ok";
        await().atMost(Duration.ofSeconds(20)).until(() -> output.getOut().contains(toOk));
        assertThat(output.getOut().lines().filter(line -> line.contains("Group Returns desk:")).toList())
                .as("one line per change").hasSize(2)
                .anySatisfy(line -> assertThat(line).endsWith(toAlert))
                .anySatisfy(line -> assertThat(line).contains(toOk));
    }

    @Test
    void everyMetricOfTheGrafanaDashboardIsExported() throws Exception {
        JsonNode dashboard = JSON.readTree(java.nio.file.Path.of("deploy/grafana/vep-connector-dashboard.json").toFile());
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("vep_[a-z_]+").matcher(target.get("expr").asText());
                while (m.find()) {
                    names.add(m.group());
                }
            }
        }
        assertThat(names).hasSizeGreaterThan(8);
        publish("group.loadChanged", """
                {"eventTime": "2026-11-23T13:00:00.000Z", "groupId": "g-grafana", "numberOfAvailableAgents": 1,
                 "numberOfVisitorsInQueue": 1, "numberOfVisitorsInConversation": 1}""");
        publish("group.performanceTimers", """
                {"eventTime": "2026-11-23T13:00:00.000Z", "groupId": "g-grafana", "averageWaitingTime": 1, "longestWaitingTime": 1}""");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String exported = prometheus();
            assertThat(names).allSatisfy(name -> assertThat(exported).contains(name + "{"));
        });
    }

    private static long forwardedCount(String groupId) {
        long total = 0;
        for (var request : RECEIVER.findAll(postRequestedFor(urlEqualTo("/snapshots")))) {
            try {
                for (JsonNode g : JSON.readTree(request.getBodyAsString()).get("groups")) {
                    if (groupId.equals(g.get("groupId").asText())) {
                        total += g.get("eventsSinceLastSnapshot").asLong();
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return total;
    }

    private static JsonNode group(String id) {
        for (JsonNode group : connector.http().get().uri("/api/groups").retrieve().body(JsonNode.class)) {
            if (id.equals(group.get("groupId").asText())) {
                return group;
            }
        }
        return null;
    }

    private static String prometheus() {
        return connector.management().get().uri("/actuator/prometheus").retrieve().body(String.class);
    }

    private static void publish(String key, String body) throws Exception {
        VEP.publish(SETUP.exchange(), key, body);
    }
}
