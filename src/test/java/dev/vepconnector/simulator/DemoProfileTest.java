package dev.vepconnector.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.support.CaseRecordSchema;
import dev.vepconnector.support.ConnectorProcess;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's demo, end to end, as a newcomer runs it: the jar's code with {@code --spring.profiles.active=demo}
 * in an empty folder, nothing else installed or configured; case records appear in ./data/out within seconds
 * (its contact center played 20 times faster than real time, so that five of them come soon).
 * (Only the ports are chosen free, so the test cannot clash with anything on the machine.)
 */
class DemoProfileTest {

    @Test
    void theDemoWritesSchemaValidCaseRecordsToDataOut() throws Exception {
        Path folder = Files.createTempDirectory("vep-demo");
        try (ConnectorProcess demo = ConnectorProcess.start(folder, folder.resolve("demo.log"),
                "--spring.profiles.active=demo", "--spring.rabbitmq.port=" + freePort(), "--vep.simulator.time-scale=20")) {
            Path cases = folder.resolve("data/out/cases");
            await().atMost(Duration.ofSeconds(90)).until(() -> count(cases) >= 5);
            ObjectMapper json = new ObjectMapper();
            for (Path file : files(cases).subList(0, 5)) {
                JsonNode record = json.readTree(file.toFile());
                assertThat(CaseRecordSchema.violations(record)).as(file.toString()).isEmpty();
                assertThat(record.get("assignments").get(0).get("agent").get("name").asText()).isNotBlank();
            }
            // A newcomer's browser: no credentials; the demo opens reading.
            var page = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(demo.baseUrl() + "/")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("vep-connector");
            assertThat(Files.readString(folder.resolve("demo.log"))).contains("vep-connector demo is running",
                    "dashboard     http://localhost:", "logins        viewer/viewer (reads), admin/admin",
                    "traffic       a contact center of 4 queues, 12 agents, 20 times faster than real time");
            // The demo's admin login acts.
            var collect = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(demo.baseUrl() + "/api/config/agents/collect"))
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("admin:admin".getBytes()))
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(collect.statusCode()).isEqualTo(202);
        }
    }

    private static long count(Path folder) throws java.io.IOException {
        return Files.isDirectory(folder) ? files(folder).size() : 0;
    }

    private static List<Path> files(Path folder) throws java.io.IOException {
        try (Stream<Path> list = Files.list(folder)) {
            return list.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
