package dev.vepconnector.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vepconnector.support.ConnectorProcess;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.Replicas;
import dev.vepconnector.support.SupervisorScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three replicas on one queue and one PostgreSQL share the scripted cases' events between them: each
 * shows the same exact supervisor figures, and a group's status change reaches the route once, not
 * once per replica.
 */
class SupervisorFiguresReplicasTest {

    final Setup setup = Setup.unique();
    final FakeVep vep = new FakeVep();
    final SupervisorScript script = new SupervisorScript("replica-figures-");
    Replicas replicas;

    @AfterEach
    void cleanUp() {
        if (replicas != null) {
            replicas.close();
        }
        vep.deleteQueue(setup.queue());
        vep.deleteExchange(setup.exchange());
        vep.close();
    }

    @Test
    void everyReplicaShowsTheSameExactFiguresAndAChangeIsSentOnce() throws Exception {
        Path routes = Files.createDirectories(setup.dataDirectory().resolve("routes"));
        Path alerts = setup.dataDirectory().resolve("alerts");
        Files.writeString(routes.resolve("status-to-files.yaml"), """
                - route:
                    id: group-status-to-files
                    from:
                      uri: "seda:vep-group-status"
                      steps:
                        - to: "file:%s?fileName=${exchangeId}-${header.vepGroupId}-${header.vepStatus}.json"
                """.formatted(alerts));
        vep.declareExchange(setup.exchange());
        replicas = Replicas.onNewDatabase(setup, "vep_figures_");
        for (int r = 0; r < 3; r++) {
            replicas.start("--vep.monitoring.refresh-interval=500ms", "--vep.monitoring.time-zone=" + script.timeZone(),
                    // the repository's route files (a classpath pattern finds them twice in a forked JVM) but group-status.yaml
                    "--camel.main.routes-include-pattern=file:" + Path.of("routes").toAbsolutePath() + "/*.yaml,file:" + routes + "/*.yaml",
                    "--camel.main.routes-exclude-pattern=**/group-status.yaml",
                    "--vep.monitoring.thresholds.groups.Sales.service-level-warning=0.8", "--logging.level.root=WARN");
        }
        // Three JVMs starting at once on a machine shared with other work: give them time.
        await().atMost(Duration.ofMinutes(4)).until(() -> replicas.all().stream().allMatch(ConnectorProcess::isConsuming));

        script.publish(vep, setup.exchange());

        for (ConnectorProcess replica : replicas.all()) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    SupervisorScript.assertFigures(replica.http().get().uri("/api/groups").retrieve().body(JsonNode.class)));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> alerts(alerts).contains("g-sales-warning"));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(alerts(alerts)).containsExactly("g-sales-warning"));
    }

    private static List<String> alerts(Path folder) throws java.io.IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString().replace(".json", "")).map(name -> {
                String[] parts = name.split("-");
                int n = parts.length;
                return String.join("-", parts[n - 3], parts[n - 2], parts[n - 1]);
            }).sorted().toList();
        }
    }
}
