package dev.vepconnector.support;

import dev.vepconnector.VepConnectorApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.springframework.web.client.RestClient;

/**
 * The connector in a JVM of its own, as operators run it, so a test can {@code kill -9} it: no
 * shutdown hook, no graceful stop, whatever was in flight is simply gone.
 */
public final class ConnectorProcess implements AutoCloseable {

    /**
     * How long a test waits for a started connector process to consume: the JVM's start alone took over a
     * minute on a 2-core machine running other builds, and a wait that runs out fails the test for nothing.
     */
    public static final Duration START_PATIENCE = Duration.ofMinutes(3);

    private final Process process;
    private final int port;
    private final RestClient http;
    /** Probes and metrics are open: read them as Kubernetes and Prometheus do, without credentials. */
    private final RestClient open;

    private ConnectorProcess(Process process, int port) {
        this.process = process;
        this.port = port;
        this.open = RestClient.create("http://127.0.0.1:" + port);
        this.http = RestClient.builder().baseUrl("http://127.0.0.1:" + port)
                .defaultHeader("Authorization", ConnectorTestSupport.adminAuthorization()).build();
    }

    /** Starts the connector with these arguments (a free {@code server.port} is added), its output in {@code log}. */
    public static ConnectorProcess start(Path log, String... args) {
        return start(Path.of("").toAbsolutePath(), log, args);
    }

    /** The same, run in {@code workingDirectory} (relative paths such as {@code ./data} resolve there). */
    public static ConnectorProcess start(Path workingDirectory, Path log, String... args) {
        return start(workingDirectory, log, List.of("-cp", System.getProperty("java.class.path"), VepConnectorApplication.class.getName()), args);
    }

    /**
     * The same, the JVM launched with {@code launch} after the common JVM options instead of the test
     * classpath: e.g. {@code -XX:SharedArchiveFile=... -jar vep-connector.jar}, as the container image does.
     */
    public static ConnectorProcess start(Path workingDirectory, Path log, List<String> launch, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-XX:+UseSerialGC"));
        command.addAll(jvmOptions());
        command.addAll(launch);
        return run(workingDirectory, log, command, Map.of(), args);
    }

    /**
     * The same, started by {@code script} (the container image's entrypoint, which runs java itself) with
     * {@code environment} added to this process's; the common JVM options reach its java through
     * {@code JAVA_TOOL_OPTIONS}, as the image's do, and {@code JAVA_HOME} is this JVM's.
     */
    public static ConnectorProcess startScript(Path workingDirectory, Path log, Path script, Map<String, String> environment, String... args) {
        Map<String, String> env = new HashMap<>(environment);
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.merge("JAVA_TOOL_OPTIONS", String.join(" ", jvmOptions("-Xmx512m", "-XX:+UseSerialGC")), (given, common) -> common + " " + given);
        return run(workingDirectory, log, new ArrayList<>(List.of("/bin/sh", script.toString())), env, args);
    }

    private static List<String> jvmOptions(String... common) {
        List<String> options = new ArrayList<>(List.of(common));
        String jvmOptions = System.getProperty("vep.connector.jvm-options", "").trim();
        if (!jvmOptions.isEmpty()) {
            options.addAll(List.of(jvmOptions.split("\\s+")));
        }
        return options;
    }

    private static ConnectorProcess run(Path workingDirectory, Path log, List<String> command, Map<String, String> environment, String... args) {
        int port = freePort();
        for (String arg : args) {
            if (!arg.startsWith("--server.port=")) {
                command.add(arg);
            }
        }
        command.add("--server.port=" + port);
        if (command.stream().noneMatch(arg -> arg.startsWith("--camel.main.routes-include-pattern="))) {
            // The forked JVM sees the test classpath through surefire's manifest jar, where a classpath
            // pattern finds each route twice; the repository's routes folder is what operators mount anyway.
            command.add("--camel.main.routes-include-pattern=file:" + Path.of("routes").toAbsolutePath() + "/*.yaml");
        }
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            return new ConnectorProcess(process, port);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the connector process", e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public RestClient http() {
        return http;
    }

    /** True once the connector reports its queue bound and consumed. */
    public boolean isConsuming() {
        return "UP".equals(health("vepBroker").get("status"));
    }

    /**
     * The component's health ({@code vepBroker}, {@code db}, ...) as the actuator reports it; empty while the
     * connector does not answer. Asked of the component alone, as a probe does: the full health also asks
     * Camel's probes, which log a warning for every request made while Camel starts.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> health(String component) {
        try {
            Map<String, Object> health = open.get().uri("/actuator/health/{component}", component).retrieve()
                    .onStatus(status -> true, (request, response) -> { }).body(Map.class);
            return health == null ? Map.of() : health;
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    /** The details of the component's health (for {@code vepBroker}: state, problem, attempts, ...); empty while unknown. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> healthDetails(String component) {
        Object details = health(component).get("details");
        return details instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /** The sum of a Prometheus counter over all its series, or -1 while the connector does not answer. */
    public double metric(String name) {
        return metricSum(name);
    }

    /** The sum of every series of the named metrics, from one scrape; -1 if the scrape failed. */
    public double metricSum(String... names) {
        try {
            String text = open.get().uri("/actuator/prometheus").retrieve().body(String.class);
            return text.lines()
                    .filter(l -> java.util.Arrays.stream(names).anyMatch(name -> l.startsWith(name + "{") || l.startsWith(name + " ")))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Waits up to {@code timeout} for the process to end by itself; its exit code, or empty while it still runs. */
    public OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
    }

    /** SIGTERM, as Ctrl+C or Kubernetes stop it; then waits as {@link #awaitExit} does. */
    public OptionalInt terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return awaitExit(timeout);
    }

    /** SIGKILL: the process ends at once, without running anything of its own. */
    public void kill9() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A graceful stop (SIGTERM), as Kubernetes does. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS)) {
                    kill9();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
