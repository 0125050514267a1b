package dev.vepconnector.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vepconnector.support.ConnectorProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packaged demo as a newcomer runs it, the README's command ({@code java -XX:SharedArchiveFile=
 * target/demo/vep-connector.jsa -jar target/demo/vep-connector.jar --spring.profiles.active=demo}) in an
 * empty folder (only the ports are chosen free): it answers, writes case records, and stops on SIGTERM
 * without an error. The jar itself ({@code java -jar target/vep-connector.jar}), given a route file
 * Camel cannot create, exits and says why. The machine may be loaded, so only generous bounds are
 * asserted; the figures are printed (bench/benchmark, part demo, measures them on a quiet machine).
 */
class DemoJarIT {

    static final Path JAR = Path.of(System.getProperty("vep.connector.jar", "target/vep-connector.jar")).toAbsolutePath();
    static final Path DEMO = Path.of(System.getProperty("vep.demo.directory", "target/demo")).toAbsolutePath();
    static final Pattern STACK_TRACE = Pattern.compile("^\\s+at \\S+\\(.*\\)$|^Caused by: |^\\s+\\.\\.\\. \\d+ (common frames|more)");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @Test
    void theDemoAnswersWritesCaseRecordsAndStopsCleanly() throws Exception {
        Path folder = Files.createTempDirectory("vep-demo-jar");
        Path log = folder.resolve("demo.log");
        long started = System.nanoTime();
        try (ConnectorProcess demo = ConnectorProcess.start(folder, log, List.of("-XX:SharedArchiveFile=" + DEMO.resolve("vep-connector.jsa"),
                "-jar", DEMO.resolve("vep-connector.jar").toString()), "--spring.profiles.active=demo", "--spring.rabbitmq.port=" + freePort(),
                "--camel.main.routes-include-pattern=classpath:routes/*.yaml")) {
            Duration dashboard = timeUntil(started, Duration.ofSeconds(60), () -> answers(demo.baseUrl() + "/"));
            Duration firstRecord = timeUntil(started, Duration.ofSeconds(90), () -> hasFiles(folder.resolve("data/out/cases")));
            long stopping = System.nanoTime();
            OptionalInt exit = demo.terminate(Duration.ofSeconds(20));
            Duration stop = Duration.ofNanos(System.nanoTime() - stopping);
            System.out.printf("demo (README command): dashboard after %.1f s, first record after %.1f s, stopped in %.1f s%n",
                    seconds(dashboard), seconds(firstRecord), seconds(stop));

            assertThat(exit).as("exited within 20 s of SIGTERM").isPresent();
            assertThat(exit.getAsInt()).as("exit code").isIn(0, 143);
            List<String> lines = Files.readAllLines(log);
            assertThat(lines).as("ERROR lines").noneMatch(line -> line.contains(" ERROR "));
            assertThat(lines).as("stack trace lines").noneMatch(line -> STACK_TRACE.matcher(line).find());
        }
    }

    static Stream<Arguments> brokenRouteFiles() {
        return Stream.of(
                Arguments.of("unknown-component.yaml", """
                        - route:
                            id: unknown-component
                            from:
                              uri: "direct:unknown-component"
                              steps:
                                - to: "nosuchcomponent:foo"
                        """, "nosuchcomponent"),
                Arguments.of("broken-yaml.yaml", """
                        - route:
                            id: broken-yaml
                            from:
                              uri: "direct:broken-yaml"
                              steps:
                                - to: [unclosed
                        """, "line 6"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenRouteFiles")
    void aRouteFileCamelCannotCreateEndsTheStartWithTheReason(String file, String content, String reason) throws Exception {
        Path folder = Files.createTempDirectory("vep-demo-jar-broken");
        Path routes = Files.createDirectories(folder.resolve("routes"));
        try (Stream<Path> shipped = Files.list(Path.of("routes"))) {
            for (Path route : shipped.toList()) {
                Files.copy(route, routes.resolve(route.getFileName()));
            }
        }
        Files.writeString(routes.resolve(file), content);
        Path log = folder.resolve("demo.log");
        long started = System.nanoTime();
        try (ConnectorProcess demo = startDemo(folder, log, "file:" + routes + "/*.yaml")) {
            OptionalInt exit = demo.awaitExit(Duration.ofSeconds(90));
            System.out.printf("demo jar with %s: %s after %.1f s%n", file, exit.isPresent() ? "exit code " + exit.getAsInt() : "still running",
                    seconds(Duration.ofNanos(System.nanoTime() - started)));

            assertThat(exit).as("exited by itself").isPresent();
            assertThat(exit.getAsInt()).as("exit code").isNotZero();
            List<String> lines = Files.readAllLines(log);
            assertThat(lines.stream().filter(line -> line.startsWith("Cannot start: ")))
                    .as("the line saying why").singleElement().asString().contains("route file " + routes.resolve(file), reason);
            assertThat(lines).as("stack trace lines").noneMatch(line -> STACK_TRACE.matcher(line).find());
        }
    }

    /** The demo from the jar, with the route files {@code routeFiles} matches (the jar ships classpath:routes/*.yaml). */
    private static ConnectorProcess startDemo(Path folder, Path log, String routeFiles) throws IOException {
        return ConnectorProcess.start(folder, log, List.of("-jar", JAR.toString()), "--spring.profiles.active=demo",
                "--spring.rabbitmq.port=" + freePort(), "--camel.main.routes-include-pattern=" + routeFiles);
    }

    private static Duration timeUntil(long startedNanos, Duration atMost, Callable<Boolean> condition) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(condition);
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    private static boolean answers(String url) {
        try {
            HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean hasFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".json"));
        }
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
