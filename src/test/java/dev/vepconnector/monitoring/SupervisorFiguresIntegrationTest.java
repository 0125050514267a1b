package dev.vepconnector.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.RunningConnector;
import dev.vepconnector.support.SupervisorScript;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Supervisor figures over the real broker: a scripted set of cases gives exact figures in the API, the
 * live feed and Prometheus; thresholds switch a group's status both ways, each change reaching the
 * group-status route once; the figures and the recorded status survive a restart.
 */
class SupervisorFiguresIntegrationTest {

    static final ObjectMapper JSON = new ObjectMapper();

    final Setup setup = Setup.unique();
    final FakeVep vep = new FakeVep();
    final SupervisorScript script = new SupervisorScript("figures-" + setup.queue().substring(5, 13) + "-");
    RunningConnector connector;

    @AfterEach
    void stop() {
        if (connector != null) {
            connector.close();
        }
        vep.deleteQueue(setup.queue());
        vep.deleteExchange(setup.exchange());
        vep.close();
    }

    @Test
    void scriptedCasesGiveExactFiguresStatusChangesReachTheRouteAndBothSurviveARestart() throws Exception {
        Path routes = Files.createDirectories(setup.dataDirectory().resolve("routes"));
        Path alerts = setup.dataDirectory().resolve("alerts");
        Files.writeString(routes.resolve("status-to-files.yaml"), """
                - route:
                    id: group-status-to-files
                    from:
                      uri: "seda:vep-group-status"
                      steps:
                        - to: "file:%s?fileName=${date:now:yyyyMMddHHmmssSSS}-${exchangeId}-${header.vepGroupId}-${header.vepPreviousStatus}-${header.vepStatus}.json"
                """.formatted(alerts));
        String[] arguments = setup.arguments("--vep.monitoring.refresh-interval=300ms",
                "--vep.monitoring.time-zone=" + script.timeZone(),
                // the shipped route files but group-status.yaml, whose place the test's takes
                "--camel.main.routes-include-pattern=classpath:routes/*.yaml,file:" + routes + "/*.yaml",
                    "--camel.main.routes-exclude-pattern=**/group-status.yaml",
                "--vep.monitoring.thresholds.default.visitors-in-queue-warning=2",
                "--vep.monitoring.thresholds.default.visitors-in-queue-alert=3",
                "--vep.monitoring.thresholds.groups.Sales.service-level-warning=0.8",
                "--vep.monitoring.thresholds.groups.Sales.service-level-alert=0.5");
        vep.declareExchange(setup.exchange());
        connector = RunningConnector.start(arguments);
        await().atMost(Duration.ofSeconds(30)).until(connector::isConsuming);
        List<String> feed = subscribe();

        script.publish(vep, setup.exchange());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> SupervisorScript.assertFigures(groups()));
        JsonNode sales = SupervisorScript.group(groups(), "g-sales");
        assertThat(sales.get("name").asText()).isEqualTo("Sales");
        assertThat(sales.get("serviceLevelTarget").asLong()).as("the default target, 60 s, in ms").isEqualTo(60_000);
        assertThat(sales.get("status").asText()).isEqualTo("warning");
        assertThat(sales.get("statusReasons")).extracting(JsonNode::asText).containsExactly("service level 66.6% today (warning below 80%)");
        JsonNode support = SupervisorScript.group(groups(), "g-support");
        assertThat(support.has("numberOfVisitorsInQueue")).as("known from case events only").isFalse();
        assertThat(support.get("status").asText()).isEqualTo("ok");
        await().atMost(Duration.ofSeconds(10)).until(() -> feed.stream().anyMatch(line -> line.contains("\"groupId\":\"g-support\"")
                && line.contains("\"handled\":3")));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(prometheus()).contains(
                "vep_group_status{application=\"vep-connector\",group=\"Sales\",group_id=\"g-sales\"} 1.0",
                "vep_group_service_level_ratio{application=\"vep-connector\",group=\"Sales\",group_id=\"g-sales\",window=\"1h\"} 0.5",
                "vep_group_answered_total{application=\"vep-connector\",group=\"Sales\",group_id=\"g-sales\"} 3.0",
                "vep_group_handled_total{application=\"vep-connector\",group=\"g-support\",group_id=\"g-support\"} 3.0",
                "vep_group_speed_of_answer_seconds{application=\"vep-connector\",group=\"Sales\",group_id=\"g-sales\",window=\"1h\"} 60.0",
                "vep_group_handle_time_seconds{application=\"vep-connector\",group=\"g-support\",group_id=\"g-support\",window=\"today\"} 160.0"));

        vep.publish(setup.exchange(), "group.loadChanged", """
                {"eventTime": "%s", "groupId": "g-support", "numberOfVisitorsInQueue": 4}""".formatted(java.time.Instant.now()));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode now = SupervisorScript.group(groups(), "g-support");
            assertThat(now.get("status").asText()).isEqualTo("alert");
            assertThat(now.get("statusReasons")).extracting(JsonNode::asText).containsExactly("4 waiting (alert at 3)");
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> alerts(alerts).contains("g-support-ok-alert"));
        vep.publish(setup.exchange(), "group.loadChanged", """
                {"eventTime": "%s", "groupId": "g-support", "numberOfVisitorsInQueue": 0}""".formatted(java.time.Instant.now()));
        List<String> expected = List.of("g-sales-ok-warning", "g-support-ok-alert", "g-support-alert-ok");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(alerts(alerts)).containsExactlyInAnyOrderElementsOf(expected));
        assertThat(SupervisorScript.group(groups(), "g-support").get("status").asText()).isEqualTo("ok");
        JsonNode alert = JSON.readTree(alertFile(alerts, "g-support-ok-alert").toFile());
        assertThat(alert.get("numberOfVisitorsInQueue").asLong()).as("the body is the group as the API shows it").isEqualTo(4);
        assertThat(alert.get("today").get("handled").asLong()).isEqualTo(3);

        connector.close();
        connector = RunningConnector.start(arguments);
        SupervisorScript.assertFigures(groups());
        assertThat(SupervisorScript.group(groups(), "g-sales").get("status").asText()).isEqualTo("warning");
        await().atMost(Duration.ofSeconds(30)).until(connector::isConsuming);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(alerts(alerts)).as("recorded changes are not sent again").hasSize(expected.size()));
    }

    private static List<String> alerts(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            // <time>-<exchangeId>-<groupId>-<previous>-<status>.json; group ids here have one dash
            return files.map(f -> f.getFileName().toString().replace(".json", "")).map(name -> {
                String[] parts = name.split("-");
                int n = parts.length;
                return String.join("-", parts[n - 4], parts[n - 3], parts[n - 2], parts[n - 1]);
            }).toList();
        }
    }

    private static Path alertFile(Path folder, String change) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(change + ".json")).findFirst().orElseThrow();
        }
    }

    private List<String> subscribe() {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create(connector.baseUrl() + "/api/groups/stream"))
                .header("Accept", "text/event-stream").build();
        var stream = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.get().body(), StandardCharsets.UTF_8))) {
                lines.lines().filter(l -> l.startsWith("data:")).forEach(received::add);
            } catch (Exception e) {
                // the stream ends with the connector
            }
        });
        reader.setDaemon(true);
        reader.start();
        return received;
    }

    private JsonNode groups() {
        return connector.http().get().uri("/api/groups").retrieve().body(JsonNode.class);
    }

    private String prometheus() {
        return connector.management().get().uri("/actuator/prometheus").retrieve().body(String.class);
    }
}
