package dev.vepconnector.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.vepconnector.broker.EmbeddedAmqpBroker;
import dev.vepconnector.simulator.SimulatedMessage;
import dev.vepconnector.simulator.SimulatorProperties;
import dev.vepconnector.simulator.VepTraffic;
import dev.vepconnector.support.ConnectorProcess;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark of bench/benchmark (not a test): the raw broker against the connector on the same
 * machine and broker, printed as a table with the targets of the performance issue.
 */
public final class Benchmark {

    static final int EVENTS = Integer.getInteger("bench.events", 200_000);
    static final int OPEN_CASES = Integer.getInteger("bench.open-cases", 100_000);
    static final int LATENCY_RATE = 1000;
    static final Duration LATENCY_RUN = Duration.ofSeconds(Integer.getInteger("bench.latency-seconds", 60));
    /**
     * Traffic at the same rate before the measured run, so a just-started JVM's compilation does not count:
     * on 2 cores the JIT compiler thread still took half a core 40 s into the traffic (15 s was too short).
     */
    static final Duration LATENCY_WARMUP = Duration.ofSeconds(Integer.getInteger("bench.latency-warmup-seconds", 60));
    static final int PREFETCH = 500;
    static final ObjectMapper JSON = new ObjectMapper();
    /** Settings to try ({@code -Dbench.connector-args="--vep.ingest.prefetch=2000 ..."}), added to every connector's. */
    static final List<String> EXTRA_ARGS = List.of(System.getProperty("bench.connector-args", "").trim().split("\\s+")).stream()
            .filter(a -> !a.isBlank()).toList();
    /**
     * How the start figure's connector is launched: {@code classpath} (the test classpath),
     * {@code jar} (target/vep-connector.jar extracted as the Dockerfile does, {@code java -jar}) or
     * {@code jar-cds} (the same with the class data sharing archive of the Dockerfile's training run; the default, as the image runs).
     */
    static final String START_LAUNCH = System.getProperty("bench.start-launch", "jar-cds");
    /** How many times the connector is started for the start-to-consuming figure; the median is reported. */
    static final int START_RUNS = Integer.getInteger("bench.start-runs", 3);
    /** Which parts to run ({@code raw,h2,pg,sink,trickle,latency,memory,start,demo}); all by default. */
    static final String ONLY = System.getProperty("bench.only", "raw,h2,pg,sink,trickle,latency,memory,start,demo");
    /** How many times the demo is started each way; medians are reported. */
    static final int DEMO_RUNS = Integer.getInteger("bench.demo-runs", 3);
    /** Messages of the trickle part, published one a millisecond. */
    static final int TRICKLE_MESSAGES = Integer.getInteger("bench.trickle-messages", 3000);
    /** The steady part ({@code -Dbench.only=steady}, not in the default run): how long, how fast, how short the retention. */
    static final int STEADY_MINUTES = Integer.getInteger("bench.steady-minutes", 20);
    static final int STEADY_RATE = Integer.getInteger("bench.steady-rate", 300);
    static final String STEADY_RETENTION = System.getProperty("bench.steady-retention", "2m");
    static final int STEADY_SAMPLE_SECONDS = Integer.getInteger("bench.steady-sample-seconds", 30);

    private final Map<String, String[]> rows = new LinkedHashMap<>();
    /** Data directories of the connectors run so far: a latency run's embedded database alone takes gigabytes. */
    private final List<Path> scratch = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        new Benchmark().run();
        System.exit(0);
    }

    void run() throws Exception {
        double raw = ONLY.contains("raw") ? rawConsumeRate() : Double.NaN;
        row("raw broker consume rate (PerfTest, persistent 1.5 KB, manual acks, prefetch " + PREFETCH + ")", "%.0f msg/s".formatted(raw), "-", "1.00");
        if (ONLY.contains("h2")) {
            drainRows("H2", drain(false), raw);
            deleteScratch();
        }
        if (ONLY.contains("pg")) {
            drainRows("PostgreSQL", drain(true), raw);
            deleteScratch();
        }
        if (ONLY.contains("sink")) {
            row("file sink draining its backlog of records (H2, the " + EVENTS + " simulator events processed while its folder was missing)",
                    fileSinkBacklog(), "-", "-");
            deleteScratch();
        }
        if (ONLY.contains("trickle")) {
            for (String interval : List.of("0ms", "5ms")) {
                row("inbox writes for " + TRICKLE_MESSAGES + " messages a millisecond apart, H2, vep.ingest.commit-interval=" + interval,
                        trickleWrites(interval), "-", "-");
            }
            deleteScratch();
        }
        if (ONLY.contains("latency")) {
            Latency latency = latency();
            row("latency publish -> record written at " + LATENCY_RATE + " events/s (after a " + LATENCY_WARMUP.toSeconds() + " s warm-up), p50",
                    "%.1f ms".formatted(latency.p50()), "< 20 ms", "-");
            row("latency publish -> record written at " + LATENCY_RATE + " events/s, p99", "%.1f ms (%s)".formatted(latency.p99(), latency.details()),
                    "< 100 ms", "-");
            deleteScratch();
        }
        if (ONLY.contains("memory")) {
            long[] memory = openCasesMemory();
            row(OPEN_CASES + " open cases: heap used after GC", (memory[0] >> 20) + " MB", "< 256 MB", "-");
            row(OPEN_CASES + " open cases: process RSS", (memory[1] >> 20) + " MB", "-", "-");
            deleteScratch();
        }
        if (ONLY.contains("start")) {
            row("JVM start to consuming, production profile (TLS, PostgreSQL)", startToConsumingMedian(), "< 6000 ms", "-");
            deleteScratch();
        }
        if (ONLY.contains("steady")) {
            steadyTraffic().forEach((figure, value) -> row(figure, value, "-", "-"));
            deleteScratch();
        }
        if (ONLY.contains("demo")) {
            row("demo, java -jar target/vep-connector.jar: launch to dashboard / first record / SIGTERM to exit",
                    demoStartMedians(List.of("-jar", absolute("target/vep-connector.jar"))), "< 8 s / < 10 s / < 5 s", "-");
            row("demo, README command (target/demo with its class data sharing archive): the same",
                    demoStartMedians(List.of("-XX:SharedArchiveFile=" + absolute("target/demo/vep-connector.jsa"), "-jar",
                            absolute("target/demo/vep-connector.jar"))),
                    "< 8 s / < 10 s / < 5 s", "-");
        }
        print();
    }

    // --- 1. the raw broker ------------------------------------------------------------------------

    double rawConsumeRate() throws Exception {
        String queue = "bench.raw." + Long.toHexString(System.nanoTime());
        String classpath = System.getProperty("bench.perftest.classpath");
        perfTest(classpath, "-x", "1", "-y", "0", "-C", Integer.toString(EVENTS), "-s", "1500", "-f", "persistent", "-u", queue,
                "-ad", "false", "-c", "500");
        String output = perfTest(classpath, "-x", "0", "-y", "1", "-u", queue, "-ad", "false", "-p", "-q", Integer.toString(PREFETCH),
                "-D", Integer.toString(EVENTS));
        try (FakeVep vep = new FakeVep()) {
            vep.deleteQueue(queue);
        }
        Matcher m = Pattern.compile("receiving rate avg: (\\d+) msg/s").matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("PerfTest printed no receiving rate:\n" + output);
        }
        return Double.parseDouble(m.group(1));
    }

    private static String perfTest(String classpath, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), "-cp", classpath, "com.rabbitmq.perf.PerfTest"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }

    // --- 2. draining a backlog --------------------------------------------------------------------

    /**
     * @param storedPerSecond    messages per second taken off the broker into the inbox (stored, acknowledged)
     * @param processedPerSecond events per second processed into the event log and every feature's state
     * @param throughSinkPerSecond events per second until the file sink had written every record
     */
    record Drain(double storedPerSecond, double processedPerSecond, double throughSinkPerSecond, long records, String batches) {
    }

    private void drainRows(String database, Drain drain, double raw) {
        row("drain off the broker into durable state (the inbox), " + database + " (" + EVENTS + " simulator events)",
                "%.0f messages/s (%s)".formatted(drain.storedPerSecond(), drain.batches()), ">= 0.5x raw", "%.2f".formatted(drain.storedPerSecond() / raw));
        row("processed into events, cases and monitoring, " + database, "%.0f events/s".formatted(drain.processedPerSecond()), "-",
                "%.2f".formatted(drain.processedPerSecond() / raw));
        row("through the file sink too, " + database, "%.0f events/s (%d records)".formatted(drain.throughSinkPerSecond(), drain.records()), "-",
                "%.2f".formatted(drain.throughSinkPerSecond() / raw));
    }

    Drain drain(boolean postgres) throws Exception {
        Setup setup = scratchSetup();
        List<String> args = new ArrayList<>(List.of("--vep.sinks.file.pretty=false", "--logging.level.root=WARN"));
        args.addAll(EXTRA_ARGS);
        if (postgres) {
            TestDatabase.createPostgres("vep_bench_" + Long.toHexString(System.nanoTime())).forEach((k, v) -> args.add("--" + k + "=" + v));
        }
        try (FakeVep vep = new FakeVep()) {
            vep.declareExchange(setup.exchange());
            // The connector declares and binds its queue; then it is stopped while the backlog builds up.
            try (ConnectorProcess first = ConnectorProcess.start(setup.dataDirectory().resolve("first.log"), setup.arguments(args.toArray(String[]::new)))) {
                await(first::isConsuming, Duration.ofSeconds(60));
            }
            List<SimulatedMessage> backlog = simulatorBacklog();
            publish(setup.exchange(), backlog);
            try (ConnectorProcess connector = ConnectorProcess.start(setup.dataDirectory().resolve("drain.log"), setup.arguments(args.toArray(String[]::new)))) {
                await(connector::isConsuming, Duration.ofSeconds(60));
                long start = System.nanoTime();
                long cpuAtStart = cpuMillis(connector.pid());
                await(() -> connector.metric("vep_ingest_batch_size_sum") >= backlog.size(), Duration.ofMinutes(10));
                double stored = backlog.size() / ((System.nanoTime() - start) / 1e9);
                System.out.printf("[bench] (%s) off the broker into the inbox: %.0f messages/s%n", postgres ? "PostgreSQL" : "H2", stored);
                double batches = connector.metric("vep_ingest_batch_size_count");
                String batchFigures = "%.0f messages per batch, %.1f ms per batch".formatted(connector.metric("vep_ingest_batch_size_sum") / batches,
                        connector.metric("vep_ingest_batch_duration_seconds_sum") * 1000 / batches);
                await(() -> handled(connector) >= backlog.size(), Duration.ofMinutes(10));
                double processed = backlog.size() / ((System.nanoTime() - start) / 1e9);
                batchFigures += ", %.0f µs connector CPU per event in all".formatted((cpuMillis(connector.pid()) - cpuAtStart) * 1000.0 / backlog.size());
                await(() -> connector.metric("vep_sink_pending") == 0 && connector.metric("vep_sink_delivered_total") > 0, Duration.ofMinutes(10));
                double throughSinks = backlog.size() / ((System.nanoTime() - start) / 1e9);
                long records = (long) connector.metric("vep_sink_delivered_total");
                vep.deleteQueue(setup.queue());
                vep.deleteExchange(setup.exchange());
                return new Drain(stored, processed, throughSinks, records, batchFigures);
            }
        }
    }

    /** {@link #EVENTS} simulator events, as the queue's bindings let them through. */
    private static List<SimulatedMessage> simulatorBacklog() {
        VepTraffic traffic = VepTraffic.simulated(simulator(7, 0));
        List<SimulatedMessage> backlog = new ArrayList<>(traffic.configuration());
        while (backlog.size() < EVENTS) {
            SimulatedMessage next = traffic.next();
            // Only what the queue's bindings route reaches the connector (unknown types outside case.#, group.#, configuration.# do not).
            if (next.routingKey().matches("(case|group|configuration)\\..*")) {
                backlog.add(next);
            }
        }
        return backlog;
    }

    /**
     * The file sink alone: every record of the backlog is queued while its folder is missing (a regular
     * file stands where it belongs), then the folder comes back and the sink's rate of writing the
     * queued records is measured, processing long over.
     */
    String fileSinkBacklog() throws Exception {
        Setup setup = scratchSetup();
        Path out = setup.dataDirectory().resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("cases"), "not a folder");
        List<String> args = new ArrayList<>(List.of("--vep.sinks.file.pretty=false", "--logging.level.root=WARN",
                "--logging.level.dev.vepconnector=ERROR", "--vep.sinks.file.directory=" + out,
                "--vep.sinks.file.retry.max-attempts=1000000", "--vep.sinks.file.retry.initial-backoff=100ms",
                "--vep.sinks.file.retry.max-backoff=200ms"));
        args.addAll(EXTRA_ARGS);
        try (FakeVep vep = new FakeVep()) {
            vep.declareExchange(setup.exchange());
            List<SimulatedMessage> backlog = simulatorBacklog();
            try (ConnectorProcess connector = ConnectorProcess.start(setup.dataDirectory().resolve("sink.log"), setup.arguments(args.toArray(String[]::new)))) {
                await(connector::isConsuming, Duration.ofSeconds(60));
                publish(setup.exchange(), backlog);
                await(() -> handled(connector) >= backlog.size(), Duration.ofMinutes(10));
                // Every record is emitted once its events are processed; the queue's gauge catches up within seconds.
                long emitted = 0;
                for (long seen = -1; emitted == 0 || seen != emitted; Thread.sleep(3_000)) {
                    seen = emitted;
                    emitted = (long) connector.metric("vep_sink_pending");
                }
                Files.delete(out.resolve("cases"));
                long start = System.nanoTime();
                long queued = emitted;
                await(() -> connector.metric("vep_sink_delivered_total") >= queued, Duration.ofMinutes(10));
                double seconds = (System.nanoTime() - start) / 1e9;
                vep.deleteQueue(setup.queue());
                vep.deleteExchange(setup.exchange());
                return "%.0f records/s (%d records in %.1f s)".formatted(queued / seconds, queued, seconds);
            }
        }
    }

    private static double handled(ConnectorProcess connector) {
        return connector.metricSum("vep_events_received_total", "vep_events_rejected_total", "vep_events_ignored_total");
    }

    // --- 3. latency at a steady rate -------------------------------------------------------------

    /**
     * Latency in milliseconds from the publish of a case's last event to its record file appearing; the
     * connector's own figure (emission to delivered, from its sink metrics) says how much of it the sink queue took.
     */
    record Latency(double p50, double p99, int cases, int unseen, long overflows, double sinkP50, double sinkP99) {
        String details() {
            return "%d cases%s; connector's emission -> delivered p50 %.0f ms, p99 %.0f ms".formatted(cases,
                    unseen + overflows == 0 ? "" : ", %d not seen by the watcher (%d overflows)".formatted(unseen, overflows), sinkP50, sinkP99);
        }
    }

    Latency latency() throws Exception {
        Setup setup = scratchSetup();
        Path out = setup.dataDirectory().resolve("out");
        Path cases = Files.createDirectories(out.resolve("cases"));
        try (FakeVep vep = new FakeVep();
             RecordFileWatcher watcher = RecordFileWatcher.watch(cases);
             ConnectorProcess connector = ConnectorProcess.start(setup.dataDirectory().resolve("latency.log"),
                     setup.arguments(withExtraArgs("--vep.sinks.file.directory=" + out, "--vep.sinks.file.pretty=false",
                             "--logging.level.root=WARN")))) {
            vep.declareExchange(setup.exchange());
            await(connector::isConsuming, Duration.ofSeconds(60));
            VepTraffic traffic = VepTraffic.live(simulator(11, 0));
            Map<String, Long> completedAt = new HashMap<>();
            Map<String, Integer> closes = new HashMap<>();
            Map<String, Integer> transcripts = new HashMap<>();
            java.util.Set<String> completedInWarmup = new java.util.HashSet<>();
            long start;
            try (Connection connection = factory().newConnection("bench-latency"); Channel channel = connection.createChannel()) {
                for (SimulatedMessage m : traffic.configuration()) {
                    channel.basicPublish(setup.exchange(), m.routingKey(), persistent(), m.body());
                }
                start = System.nanoTime();
                System.out.println("[bench] latency traffic starts at " + java.time.Instant.now());
                long warmup = LATENCY_RATE * LATENCY_WARMUP.toSeconds();
                long total = warmup + LATENCY_RATE * LATENCY_RUN.toSeconds();
                for (long i = 0; i < total; i++) {
                    long due = start + i * 1_000_000_000L / LATENCY_RATE;
                    // Park, not spin: on a small machine a spinning publisher takes a core from the connector it measures.
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    SimulatedMessage m = traffic.next();
                    channel.basicPublish(setup.exchange(), m.routingKey(), persistent(), m.body());
                    long now = System.nanoTime();
                    if (m.routingKey().equals("case.closed") || m.routingKey().equals("case.transcriptClosed")) {
                        String caseId = JSON.readTree(m.body()).get("caseId").asText();
                        (m.routingKey().equals("case.closed") ? closes : transcripts).merge(caseId, 1, Integer::sum);
                        completedAt.merge(caseId, now, Math::max);
                        if (i < warmup) {
                            completedInWarmup.add(caseId);
                        }
                    }
                }
            }
            await(() -> connector.metric("vep_sink_pending") == 0, Duration.ofMinutes(5));
            double sinkP50 = fileSinkDelay(connector, "0.5");
            double sinkP99 = fileSinkDelay(connector, "0.99");
            completedAt.keySet().removeAll(completedInWarmup);
            List<Double> latencies = new ArrayList<>();
            List<String> samples = new ArrayList<>(List.of("published_s,latency_ms"));
            int unseen = 0;
            for (Map.Entry<String, Long> e : completedAt.entrySet()) {
                Path file = cases.resolve(e.getKey() + ".json");
                boolean simple = closes.getOrDefault(e.getKey(), 0) == 1 && transcripts.getOrDefault(e.getKey(), 0) == 1;
                if (simple && Files.exists(file) && JSON.readTree(file.toFile()).get("revision").asInt() == 1) {
                    Long seen = watcher.firstSeen(e.getKey());
                    if (seen == null) {
                        unseen++;
                        continue;
                    }
                    double millis = (seen - e.getValue()) / 1e6;
                    latencies.add(millis);
                    samples.add("%.3f,%.3f".formatted((e.getValue() - start) / 1e9, millis));
                }
            }
            Collections.sort(latencies);
            Files.write(Path.of("target", "latency-samples.csv"), samples);
            vep.deleteQueue(setup.queue());
            vep.deleteExchange(setup.exchange());
            return new Latency(percentile(latencies, 0.5), percentile(latencies, 0.99), latencies.size(), unseen, watcher.overflows(),
                    sinkP50, sinkP99);
        }
    }

    /** A quantile of the file sink's emission -> delivered timer (its last two minutes), in milliseconds. */
    private static double fileSinkDelay(ConnectorProcess connector, String quantile) {
        String text = connector.http().get().uri("/actuator/prometheus").retrieve().body(String.class);
        return text.lines().filter(l -> l.startsWith("vep_sink_delivery_latency_seconds{") && l.contains("sink=\"file\"")
                        && l.contains("quantile=\"" + quantile + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) * 1000).findFirst().orElse(Double.NaN);
    }

    private static String[] withExtraArgs(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(EXTRA_ARGS);
        return all.toArray(String[]::new);
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.isEmpty() ? Double.NaN : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    // --- 4. memory with open cases ---------------------------------------------------------------

    long[] openCasesMemory() throws Exception {
        Setup setup = scratchSetup();
        try (FakeVep vep = new FakeVep();
             ConnectorProcess connector = ConnectorProcess.start(setup.dataDirectory().resolve("memory.log"),
                     setup.arguments("--logging.level.root=WARN"))) {
            vep.declareExchange(setup.exchange());
            await(connector::isConsuming, Duration.ofSeconds(60));
            List<SimulatedMessage> open = new ArrayList<>();
            for (int i = 0; i < OPEN_CASES; i++) {
                String caseId = "open-case-" + i;
                open.add(new SimulatedMessage("case.created", ("{\"eventTime\":\"2026-11-23T10:00:00.000Z\",\"caseId\":\"" + caseId
                        + "\",\"caseTypeId\":\"t-1\",\"opportunityId\":\"o-1\",\"solutionId\":\"s-1\"}").getBytes(StandardCharsets.UTF_8)));
                open.add(new SimulatedMessage("case.opened", ("{\"eventTime\":\"2026-11-23T10:00:01.000Z\",\"caseId\":\"" + caseId
                        + "\",\"agentId\":\"a-" + (i % 50) + "\",\"groupId\":\"g-" + (i % 5) + "\"}").getBytes(StandardCharsets.UTF_8)));
            }
            publish(setup.exchange(), open);
            await(() -> handled(connector) >= open.size(), Duration.ofMinutes(10));
            Process gc = new ProcessBuilder("jcmd", Long.toString(connector.pid()), "GC.run").redirectErrorStream(true).start();
            gc.getInputStream().readAllBytes();
            gc.waitFor();
            Thread.sleep(1000);
            long heap = heapUsed(connector);
            long rss = rss(connector.pid());
            vep.deleteQueue(setup.queue());
            vep.deleteExchange(setup.exchange());
            return new long[] {heap, rss};
        }
    }

    private static long heapUsed(ConnectorProcess connector) {
        String text = connector.http().get().uri("/actuator/prometheus").retrieve().body(String.class);
        return (long) text.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** CPU time the process has used so far (user and system), in milliseconds. */
    private static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second on Linux).
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
    }

    private static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    // --- 5. start to consuming ------------------------------------------------------------------

    /** Milliseconds from JVM start to consuming, and the CPU the connector used until then (less sensitive to a busy machine). */
    record StartTime(long elapsedMillis, long cpuMillis) {
    }

    String startToConsumingMedian() throws Exception {
        List<String> launch = startLaunch();
        List<StartTime> runs = new ArrayList<>();
        for (int i = 0; i < START_RUNS; i++) {
            runs.add(startToConsuming(launch));
            System.out.printf("[bench] start run %d of %d: %d ms (connector CPU %d ms)%n", i + 1, START_RUNS, runs.get(i).elapsedMillis(),
                    runs.get(i).cpuMillis());
        }
        long elapsed = median(runs.stream().map(StartTime::elapsedMillis).toList());
        long cpu = median(runs.stream().map(StartTime::cpuMillis).toList());
        if (runs.size() == 1) {
            return "%d ms (%s, connector CPU %d ms)".formatted(elapsed, START_LAUNCH, cpu);
        }
        return "%d ms (%s, median of %d runs: %s; connector CPU median %d ms)".formatted(elapsed, START_LAUNCH, runs.size(),
                runs.stream().map(StartTime::elapsedMillis).toList(), cpu);
    }

    /** The JVM arguments that launch the connector (after the common ones), preparing the image layout if asked. */
    private static List<String> startLaunch() throws Exception {
        if (START_LAUNCH.equals("classpath")) {
            return List.of("-cp", System.getProperty("java.class.path"), dev.vepconnector.VepConnectorApplication.class.getName());
        }
        if (!START_LAUNCH.equals("jar") && !START_LAUNCH.equals("jar-cds")) {
            throw new IllegalArgumentException("bench.start-launch is classpath, jar or jar-cds, not " + START_LAUNCH);
        }
        // The image's /app: the plain application jar with its libraries in lib/ (what the Dockerfile's
        // layers add up to). Absolute paths: a CDS archive only matches the class path it was built with.
        Path jar = Path.of("target/vep-connector.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: bench/benchmark packages it when bench.start-launch is jar or jar-cds");
        }
        Path app = Path.of("target/bench-image").toAbsolutePath();
        deleteRecursively(app);
        run(app.getParent(), java(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", app.toString());
        Path appJar = app.resolve("vep-connector.jar");
        if (START_LAUNCH.equals("jar")) {
            return List.of("-jar", appJar.toString());
        }
        // The Dockerfile's training run, command for command.
        Path archive = app.resolve("vep-connector.jsa");
        Path scratch = Files.createTempDirectory("vep-connector-cds-training");
        run(app, java(), "-Xmx512m", "-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh", "-jar", appJar.toString(),
                "--vep.data-directory=" + scratch, "--logging.level.root=WARN");
        deleteRecursively(scratch);
        if (!Files.exists(archive)) {
            throw new IllegalStateException("The CDS training run wrote no archive " + archive);
        }
        return List.of("-XX:SharedArchiveFile=" + archive, "-jar", appJar.toString());
    }

    private static void run(Path directory, String... command) throws Exception {
        Path output = Files.createTempFile("vep-connector-bench", ".log");
        int exit = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + exit + "):\n" + Files.readString(output));
        }
        Files.delete(output);
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (Files.exists(directory)) {
            try (var paths = Files.walk(directory)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private static long median(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    StartTime startToConsuming(List<String> launch) throws Exception {
        Setup setup = scratchSetup();
        try (EmbeddedAmqpBroker broker = EmbeddedAmqpBroker.start(0,
                new EmbeddedAmqpBroker.TlsKeyStore(Path.of("src/test/resources/tls/server.p12"), "changeit"));
             FakeVep vep = new FakeVep("127.0.0.1", broker.port())) {
            vep.declareExchange(setup.exchange());
            int management = freePort();
            List<String> args = new ArrayList<>(List.of("--spring.profiles.active=production", "--management.server.port=" + management,
                    "--spring.rabbitmq.host=localhost", "--spring.rabbitmq.port=" + broker.tlsPort(), "--logging.level.root=WARN",
                    "--spring.ssl.bundle.pem.vep-broker.truststore.certificate=file:src/test/resources/tls/ca.crt"));
            args.addAll(EXTRA_ARGS);
            TestDatabase.createPostgres("vep_bench_start_" + Long.toHexString(System.nanoTime())).forEach((k, v) -> args.add("--" + k + "=" + v));
            Path log = setup.dataDirectory().resolve("start.log");
            System.out.printf("[bench] start log: %s%n", log);
            long start = System.nanoTime();
            try (ConnectorProcess connector = ConnectorProcess.start(Path.of("").toAbsolutePath(), log, launch,
                    setup.arguments(args.toArray(String[]::new)))) {
                HttpClient http = HttpClient.newHttpClient();
                // generous: on a machine busy with other work a start has taken over 40 s
                await(() -> brokerUp(http, management), Duration.ofSeconds(120));
                return new StartTime((System.nanoTime() - start) / 1_000_000, cpuMillis(connector.pid()));
            }
        }
    }

    private static boolean brokerUp(HttpClient http, int port) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode broker = JSON.readTree(response.body()).path("components").path("vepBroker");
            return "UP".equals(broker.path("status").asText());
        } catch (Exception e) {
            return false;
        }
    }

    // --- 3. a steady trickle ------------------------------------------------------------------------

    /** How many inbox writes a steady trickle takes: the figure vep.ingest.commit-interval exists for. */
    String trickleWrites(String commitInterval) throws Exception {
        Setup setup = scratchSetup();
        List<String> args = new ArrayList<>(List.of("--logging.level.root=WARN", "--vep.ingest.commit-interval=" + commitInterval));
        args.addAll(EXTRA_ARGS);
        try (FakeVep vep = new FakeVep()) {
            vep.declareExchange(setup.exchange());
            try (ConnectorProcess connector = ConnectorProcess.start(setup.dataDirectory().resolve("trickle.log"),
                    setup.arguments(args.toArray(String[]::new)))) {
                return trickleWrites(connector, setup, vep);
            }
        }
    }

    private static String trickleWrites(ConnectorProcess connector, Setup setup, FakeVep vep) throws Exception {
        await(connector::isConsuming, Duration.ofSeconds(60));
        double writesBefore = connector.metric("vep_ingest_batch_size_count");
        double storedBefore = connector.metric("vep_ingest_batch_size_sum");
        try (Connection connection = factory().newConnection("bench-trickle"); Channel channel = connection.createChannel()) {
            long start = System.nanoTime();
            for (int i = 0; i < TRICKLE_MESSAGES; i++) {
                java.util.concurrent.locks.LockSupport.parkNanos(start + i * 1_000_000L - System.nanoTime());
                String body = "{\"eventTime\": \"2026-11-23T12:00:00Z\", \"caseId\": \"trickle-" + i + "\", \"agentId\": \"a\"}";
                channel.basicPublish(setup.exchange(), "case.opened", persistent(), body.getBytes(StandardCharsets.UTF_8));
            }
        }
        await(() -> connector.metric("vep_ingest_batch_size_sum") - storedBefore >= TRICKLE_MESSAGES, Duration.ofMinutes(2));
        double writes = connector.metric("vep_ingest_batch_size_count") - writesBefore;
        vep.deleteQueue(setup.queue());
        vep.deleteExchange(setup.exchange());
        return "%.0f writes (%.1f messages per write)".formatted(writes, TRICKLE_MESSAGES / writes);
    }

    // --- 7. steady traffic with a short retention: does the embedded database stop growing? -------------

    /** One look at the connector under steady traffic. */
    record SteadySample(double seconds, double stored, double purged, long databaseBytes, long folderBytes, long writtenBytes,
                        long cpuMillis, double consumeLatencySum, double consumeLatencyCount, double inbox) {
    }

    /**
     * The packaged jar in the simulator profile at {@link #STEADY_RATE} events/s for {@link #STEADY_MINUTES} minutes, every
     * retention at {@link #STEADY_RETENTION} (the purge runs from the first minutes on): the database's size, the process's
     * disk writes ({@code /proc/<pid>/io} write_bytes) and the purged rows every {@link #STEADY_SAMPLE_SECONDS} s, printed as a
     * table, then the figures before and while the purge runs.
     */
    Map<String, String> steadyTraffic() throws Exception {
        Path jar = Path.of(System.getProperty("bench.jar", "target/vep-connector.jar")).toAbsolutePath();
        Setup setup = scratchSetup();
        List<String> args = new ArrayList<>(List.of("--spring.profiles.active=simulator", "--vep.simulator.rate=" + STEADY_RATE,
                "--vep.simulator.seed=17", "--vep.sinks.file.pretty=false", "--logging.level.root=WARN",
                "--vep.retention.events=" + STEADY_RETENTION, "--vep.retention.group-events=" + STEADY_RETENTION,
                "--vep.retention.case-records=" + STEADY_RETENTION, "--vep.retention.dead-letters=" + STEADY_RETENTION,
                "--vep.retention.stats-interval=" + STEADY_SAMPLE_SECONDS + "s"));
        args.addAll(EXTRA_ARGS);
        Path data = setup.dataDirectory();
        Path database = data.resolve("db/vep-connector.mv.db");
        List<SteadySample> samples = new ArrayList<>();
        try (FakeVep vep = new FakeVep();
             ConnectorProcess connector = ConnectorProcess.start(Path.of("").toAbsolutePath(), data.resolve("steady.log"),
                     List.of("-jar", jar.toString()), setup.arguments(args.toArray(String[]::new)))) {
            await(connector::isConsuming, Duration.ofSeconds(120));
            long start = System.nanoTime();
            System.out.printf("[bench] steady traffic: %d events/s for %d min, retention %s, data in %s (%s)%n", STEADY_RATE, STEADY_MINUTES,
                    STEADY_RETENTION, data, String.join(" ", EXTRA_ARGS));
            System.out.println("[bench] min | events stored | purged rows | database MB | data folder MB | written MB | KB written/event (last 30 s)");
            for (int i = 0; i <= STEADY_MINUTES * 60 / STEADY_SAMPLE_SECONDS; i++) {
                long due = start + i * STEADY_SAMPLE_SECONDS * 1_000_000_000L;
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                samples.add(steadySample(connector, (System.nanoTime() - start) / 1e9, database, data));
                SteadySample now = samples.get(samples.size() - 1);
                SteadySample before = samples.get(Math.max(0, samples.size() - 2));
                System.out.printf("[bench] %5.1f | %8.0f | %8.0f | %7.1f | %7.1f | %8.1f | %5.1f%n", now.seconds() / 60, now.stored(), now.purged(),
                        now.databaseBytes() / 1e6, now.folderBytes() / 1e6, now.writtenBytes() / 1e6,
                        kbPerEvent(before, now));
            }
            vep.deleteQueue(setup.queue());
            vep.deleteExchange(setup.exchange());
        }
        return steadyFigures(samples);
    }

    private static SteadySample steadySample(ConnectorProcess connector, double seconds, Path database, Path data) throws IOException {
        String text = connector.http().get().uri("/actuator/prometheus").retrieve().body(String.class);
        return new SteadySample(seconds, prometheus(text, "vep_ingest_batch_size_sum"), prometheus(text, "vep_retention_purged_total"),
                Files.exists(database) ? Files.size(database) : 0, folderBytes(data), writtenBytes(connector.pid()), cpuMillis(connector.pid()),
                prometheus(text, "vep_events_consume_latency_seconds_sum"), prometheus(text, "vep_events_consume_latency_seconds_count"),
                prometheus(text, "vep_ingest_inbox_messages"));
    }

    private static Map<String, String> steadyFigures(List<SteadySample> samples) {
        SteadySample first = samples.get(0);
        SteadySample last = samples.get(samples.size() - 1);
        // The purge's first removals mark its start: up to there the database only grew.
        SteadySample purgeStart = samples.stream().filter(s -> s.purged() > 0).findFirst().orElse(last);
        SteadySample half = samples.get(samples.size() / 2);
        Map<String, String> figures = new LinkedHashMap<>();
        String setting = "%d events/s, retention %s%s".formatted(STEADY_RATE, STEADY_RETENTION, EXTRA_ARGS.isEmpty() ? "" : ", " + String.join(" ", EXTRA_ARGS));
        figures.put("steady traffic (" + setting + "): KB written per event, whole run / before the purge / while it runs",
                "%.1f / %.1f / %.1f KB (%.0f events, %.0f rows purged)".formatted(kbPerEvent(first, last), kbPerEvent(first, purgeStart),
                        kbPerEvent(purgeStart, last), last.stored(), last.purged()));
        StringBuilder sizes = new StringBuilder();
        for (int minute = 5; minute <= STEADY_MINUTES; minute += 5) {
            double at = minute * 60;
            samples.stream().filter(s -> s.seconds() >= at - STEADY_SAMPLE_SECONDS / 2.0).findFirst().ifPresent(s ->
                    sizes.append(sizes.isEmpty() ? "" : " / ").append("%.0f MB".formatted(s.databaseBytes() / 1e6)));
        }
        figures.put("steady traffic: database file at 5 / 10 / 15 / 20 min; growth over the second half of the run",
                "%s; %+.1f%% (data folder %.0f MB at the end)".formatted(sizes, 100.0 * (last.databaseBytes() - half.databaseBytes())
                        / Math.max(1, half.databaseBytes()), last.folderBytes() / 1e6));
        figures.put("steady traffic: ingestion before the purge / while it runs (events/s, mean consume latency, connector CPU per event)",
                "%s / %s".formatted(ingestion(first, purgeStart), ingestion(purgeStart, last)));
        return figures;
    }

    private static double kbPerEvent(SteadySample from, SteadySample to) {
        double events = to.stored() - from.stored();
        return events <= 0 ? Double.NaN : (to.writtenBytes() - from.writtenBytes()) / 1024.0 / events;
    }

    private static String ingestion(SteadySample from, SteadySample to) {
        double events = to.stored() - from.stored();
        double seconds = to.seconds() - from.seconds();
        double latencyCount = to.consumeLatencyCount() - from.consumeLatencyCount();
        return "%.0f/s, %.0f ms, %.0f µs".formatted(events / seconds,
                latencyCount <= 0 ? Double.NaN : (to.consumeLatencySum() - from.consumeLatencySum()) * 1000 / latencyCount,
                events <= 0 ? Double.NaN : (to.cpuMillis() - from.cpuMillis()) * 1000.0 / events);
    }

    private static double prometheus(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Bytes the process has caused to be written to storage ({@code /proc/<pid>/io}), its files' writes and syncs. */
    private static long writtenBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "io"))) {
            if (line.startsWith("write_bytes:")) {
                return Long.parseLong(line.substring("write_bytes:".length()).trim());
            }
        }
        return -1;
    }

    private static long folderBytes(Path folder) throws IOException {
        long[] bytes = {0};
        Files.walkFileTree(folder, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attributes) {
                bytes[0] += attributes.size();
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                // a file sink's temporary file, renamed meanwhile
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        return bytes[0];
    }

    // --- 6. the demo, as a newcomer starts it ----------------------------------------------------------

    record DemoStart(long dashboardMillis, long recordMillis, long stopMillis, long cpuMillis) {
    }

    private static String demoStartMedians(List<String> launch) throws Exception {
        List<DemoStart> runs = new ArrayList<>();
        for (int i = 0; i < DEMO_RUNS; i++) {
            runs.add(demoStart(launch));
            System.out.printf("[bench] demo %s: %s%n", launch.get(launch.size() - 1), runs.get(runs.size() - 1));
        }
        return "%.1f s / %.1f s / %.1f s (median of %d; connector CPU to the dashboard %.1f s)".formatted(
                median(runs.stream().map(DemoStart::dashboardMillis).toList()) / 1000.0,
                median(runs.stream().map(DemoStart::recordMillis).toList()) / 1000.0,
                median(runs.stream().map(DemoStart::stopMillis).toList()) / 1000.0, runs.size(),
                median(runs.stream().map(DemoStart::cpuMillis).toList()) / 1000.0);
    }

    /** The demo launched with the README's arguments in an empty folder (free ports), timed from the launch. */
    private static DemoStart demoStart(List<String> launch) throws Exception {
        Path folder = Files.createTempDirectory("vep-bench-demo");
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(launch);
        command.addAll(List.of("--spring.profiles.active=demo", "--server.port=" + port, "--spring.rabbitmq.port=" + freePort()));
        HttpClient http = HttpClient.newHttpClient();
        Path cases = folder.resolve("data/out/cases");
        long start = System.nanoTime();
        Process demo = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                .redirectOutput(folder.resolve("demo.log").toFile()).start();
        try {
            await(() -> answers(http, port), Duration.ofMinutes(2));
            long dashboard = (System.nanoTime() - start) / 1_000_000;
            long cpu = cpuMillis(demo.pid());
            await(() -> hasFiles(cases), Duration.ofMinutes(2));
            long record = (System.nanoTime() - start) / 1_000_000;
            long stopping = System.nanoTime();
            demo.destroy();
            demo.waitFor();
            return new DemoStart(dashboard, record, (System.nanoTime() - stopping) / 1_000_000, cpu);
        } finally {
            demo.destroyForcibly().waitFor();
            deleteRecursively(folder);
        }
    }

    private static String absolute(String path) {
        return Path.of(path).toAbsolutePath().toString();
    }

    private static boolean answers(HttpClient http, int port) {
        try {
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean hasFiles(Path folder) {
        try (var files = Files.list(folder)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".json"));
        } catch (IOException e) {
            return false;
        }
    }

    // --- helpers ----------------------------------------------------------------------------------

    private Setup scratchSetup() {
        Setup setup = Setup.unique();
        scratch.add(setup.dataDirectory());
        return setup;
    }

    /** Deletes the data directories of the parts that finished (a failed part's stay, with its logs). */
    private void deleteScratch() throws IOException {
        for (Path directory : scratch) {
            if (Files.exists(directory)) {
                try (var paths = Files.walk(directory)) {
                    for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(path);
                    }
                }
            }
        }
        scratch.clear();
    }

    static SimulatorProperties simulator(long seed, long cases) {
        return new SimulatorProperties(seed, 0, cases, 50, 8, 40, new SimulatorProperties.Mix(0.25, 0.15, 0.5, 0.6, 0.1, 0.02, 0.05, 0.01));
    }

    private static void publish(String exchange, List<SimulatedMessage> messages) throws Exception {
        try (Connection connection = factory().newConnection("bench-publisher"); Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            int n = 0;
            for (SimulatedMessage m : messages) {
                channel.basicPublish(exchange, m.routingKey(), persistent(), m.body());
                if (++n % 1000 == 0) {
                    channel.waitForConfirmsOrDie(60_000);
                }
            }
            channel.waitForConfirmsOrDie(60_000);
        }
    }

    private static ConnectionFactory factory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(5672);
        return factory;
    }

    private static AMQP.BasicProperties persistent() {
        return new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build();
    }

    private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout);
            }
            // Not more often: every look is a metrics scrape, which costs the connector CPU it should spend draining.
            Thread.sleep(250);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void row(String figure, String value, String target, String ratio) {
        rows.put(figure, new String[] {value, target, ratio});
        System.out.printf("[bench] %s: %s%n", figure, value);
    }

    private void print() {
        System.out.println();
        System.out.printf("Measured %s on %d cores, broker and database on the same machine.%n%n", Instant.now().toString().substring(0, 10),
                Runtime.getRuntime().availableProcessors());
        System.out.println("| figure | value | target | connector/raw |");
        System.out.println("|---|---|---|---|");
        rows.forEach((figure, v) -> System.out.printf("| %s | %s | %s | %s |%n", figure, v[0], v[1], v[2]));
    }
}
