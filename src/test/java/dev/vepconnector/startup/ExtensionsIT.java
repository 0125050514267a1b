package dev.vepconnector.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.support.CaseRecordSchema;
import dev.vepconnector.support.ConnectorProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;

/**
 * A Camel component the jar does not ship (camel-paho-mqtt5), added from a folder of jars
 * ({@code target/extensions-it}: the component and the MQTT client it needs), used by a route file of
 * the operator's that delivers case records to the mosquitto on 127.0.0.1:1883, where a client
 * subscribed to the route's topic receives them. Once as the executable jar reads the folder
 * ({@code -Dloader.path}), once as the container image does ({@code LOADER_PATH} and its entrypoint,
 * run in {@code target/demo}, the image's layout), and once without it: the start ends with the
 * line saying which component is missing and how to add it.
 */
class ExtensionsIT {

    static final Path JAR = Path.of(System.getProperty("vep.connector.jar", "target/vep-connector.jar")).toAbsolutePath();
    static final Path DEMO = Path.of(System.getProperty("vep.demo.directory", "target/demo")).toAbsolutePath();
    static final Path EXTENSIONS = Path.of(System.getProperty("vep.extensions.directory", "target/extensions-it")).toAbsolutePath();
    static final String MQTT = "tcp://127.0.0.1:1883";
    static final Pattern STACK_TRACE = Pattern.compile("^\\s+at \\S+\\(.*\\)$|^Caused by: |^\\s+\\.\\.\\. \\d+ (common frames|more)");
    static final ObjectMapper JSON = new ObjectMapper();

    private final String topic = "vep-connector-it/" + UUID.randomUUID() + "/cases";
    private final List<String> received = new CopyOnWriteArrayList<>();
    private Path folder;
    private Path routeFile;
    private MqttClient subscriber;

    @BeforeEach
    void routeFileAndSubscriber() throws IOException, MqttException {
        folder = Files.createTempDirectory("vep-extensions");
        Path routes = Files.createDirectories(folder.resolve("my-routes"));
        routeFile = Files.writeString(routes.resolve("sink-mqtt.yaml"), mqttSinkRoute(topic));
        subscriber = new MqttClient(MQTT, "vep-connector-it-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        subscriber.connect(options);
        // the array form: paho 1.2.5's subscribe(String, int, listener) calls itself until the stack overflows
        subscriber.subscribe(new MqttSubscription[] {new MqttSubscription(topic, 1)},
                new IMqttMessageListener[] {(t, message) -> received.add(new String(message.getPayload(), StandardCharsets.UTF_8))});
    }

    @AfterEach
    void closeSubscriber() throws MqttException {
        subscriber.disconnect();
        subscriber.close();
    }

    /**
     * The MQTT sink route of docs/extensions.md as it is written there, on this test's topic: the example
     * the page shows is the one tried here.
     */
    static String mqttSinkRoute(String topic) throws IOException {
        Matcher example = Pattern.compile("```yaml\n(.*?vep-sink:mqtt.*?)```", Pattern.DOTALL).matcher(Files.readString(Path.of("docs/extensions.md")));
        assertThat(example.find()).as("docs/extensions.md has the MQTT sink route").isTrue();
        String route = example.group(1);
        assertThat(route).contains("paho-mqtt5:vep/cases", "brokerUrl: \"" + MQTT + "\"");
        return route.replace("paho-mqtt5:vep/cases", "paho-mqtt5:" + topic);
    }

    @Test
    void theJarTakesTheComponentFromTheLoaderPathFolderAndDeliversCaseRecords() throws Exception {
        Path log = folder.resolve("connector.log");
        try (ConnectorProcess connector = ConnectorProcess.start(folder, log,
                List.of("-Dloader.path=" + EXTENSIONS, "-jar", JAR.toString()), demoArguments())) {
            assertDeliversCaseRecordsAndStopsCleanly(connector, log);
        }
    }

    @Test
    void theContainerImagesEntrypointTakesItFromLoaderPathToo() throws Exception {
        Path entrypoint = DEMO.resolve("vep-connector.sh");
        Path log = folder.resolve("connector.log");
        Path cdsLog = folder.resolve("cds.log");
        // the image's JAVA_TOOL_OPTIONS come with it; this one logs whether the class data sharing archive was used
        try (ConnectorProcess connector = ConnectorProcess.startScript(folder, log, entrypoint,
                Map.of("LOADER_PATH", EXTENSIONS.toString(), "JAVA_TOOL_OPTIONS", "-Xlog:cds=info:file=" + cdsLog), demoArguments())) {
            assertDeliversCaseRecordsAndStopsCleanly(connector, log);
        }
        assertThat(Files.readString(cdsLog)).as("the archive of the connector's classes served this start").contains("Mapped dynamic region");
    }

    @Test
    void withoutTheFolderTheRouteFileEndsTheStartWithWhatToAdd() throws Exception {
        Path log = folder.resolve("connector.log");
        try (ConnectorProcess connector = ConnectorProcess.start(folder, log, List.of("-jar", JAR.toString()), demoArguments())) {
            OptionalInt exit = connector.awaitExit(Duration.ofSeconds(90));

            assertThat(exit).as("exited by itself").isPresent();
            assertThat(exit.getAsInt()).as("exit code").isNotZero();
            List<String> lines = Files.readAllLines(log);
            assertThat(lines.stream().filter(line -> line.startsWith("Cannot start: "))).as("the line saying why").singleElement().asString()
                    .startsWith("Cannot start: route file " + routeFile + ": route 'sink-mqtt': no Camel component 'paho-mqtt5'");
            assertThat(lines).as("the action").anySatisfy(line -> assertThat(line)
                    .contains("Put the jar of the Camel component 'paho-mqtt5'", "-Dloader.path=<folder>", "docs/extensions.md"));
            assertThat(lines).as("stack trace lines").noneMatch(line -> STACK_TRACE.matcher(line).find());
        }
    }

    /** The demo (embedded broker, simulator) in the test's folder, with the jar's routes and the operator's route file. */
    private String[] demoArguments() throws IOException {
        return new String[] {"--spring.profiles.active=demo", "--spring.rabbitmq.port=" + freePort(),
                "--camel.main.routes-include-pattern=classpath:routes/*.yaml,file:" + routeFile.getParent() + "/*.yaml",
                "--vep.sinks.mqtt.enabled=true"};
    }

    private void assertDeliversCaseRecordsAndStopsCleanly(ConnectorProcess connector, Path log) throws Exception {
        // the demo closes its first cases after a while, and each waits for its transcript (30 s in the demo)
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                .failFast("the connector exited", () -> !connector.isAlive())
                .until(() -> received.size() >= 2);
        for (String message : received) {
            JsonNode record = JSON.readTree(message);
            assertThat(record.path("caseId").isTextual()).as("caseId of %s", message).isTrue();
            assertThat(record.path("revision").asInt()).as("revision of %s", message).isPositive();
            assertThat(CaseRecordSchema.violations(record)).as("schema violations of %s", message).isEmpty();
        }
        // the exchange completing is the delivery: the sink counts what the broker took
        await().atMost(Duration.ofSeconds(30)).until(() -> delivered(connector, "mqtt") >= 2);
        OptionalInt exit = connector.terminate(Duration.ofSeconds(30));
        assertThat(exit).as("exited within 30 s of SIGTERM").isPresent();
        assertThat(exit.getAsInt()).as("exit code").isIn(0, 143);
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).as("ERROR lines").noneMatch(line -> line.contains(" ERROR "));
        assertThat(lines).as("stack trace lines").noneMatch(line -> STACK_TRACE.matcher(line).find());
    }

    private static long delivered(ConnectorProcess connector, String sink) {
        // the demo reads without credentials (and its logins are not the test support's)
        List<?> sinks = RestClient.create(connector.baseUrl()).get().uri("/api/sinks").retrieve().body(List.class);
        return sinks.stream().map(Map.class::cast).filter(s -> sink.equals(s.get("name")))
                .mapToLong(s -> ((Number) s.get("delivered")).longValue()).sum();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
