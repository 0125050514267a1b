package dev.vepconnector.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.ingest.BrokerTopology;
import dev.vepconnector.support.CaseStream;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.RunningConnector;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

/**
 * The data folder on a small file system of its own (a 64 MB tmpfs), filled up by another file while VEP's
 * traffic flows: below the minimum the connector takes no more messages (readiness out of service, saying
 * why; they wait on the broker) while the database still has room, and once the file is gone it resumes by
 * itself. Every event is stored once, every case record is complete, and the database opens again after a
 * restart. Mounting takes root: elsewhere the test is skipped.
 */
class LowDiskIntegrationTest {

    private static final long MB = 1024 * 1024;
    private static final long MINIMUM = 16 * MB;
    private static final int CASES = 300;
    private static final int RATE = 250;

    static Path mount;

    final Setup setup = Setup.unique();
    final FakeVep vep = new FakeVep();
    /** Asks the broker about the queue on a connection of its own: the publisher's channel is its thread's. */
    final FakeVep queueWatch = new FakeVep();

    @BeforeAll
    static void mountASmallFileSystem() throws Exception {
        Assumptions.assumeTrue(isRoot(), "mounting a tmpfs of its own takes root (mount -t tmpfs); this JVM does not run as root");
        mount = Files.createTempDirectory("vep-low-disk-");
        try {
            run("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mount.toString());
        } catch (IOException e) {
            Files.delete(mount);
            mount = null;
            Assumptions.abort("cannot mount a tmpfs here (" + e.getMessage() + ")");
        }
    }

    @AfterAll
    static void unmount() throws Exception {
        if (mount != null) {
            run("umount", "-l", mount.toString());
            Files.delete(mount);
        }
    }

    @Test
    void belowTheMinimumItTakesNoMessagesAndOnceThereIsRoomAgainEverythingIsStoredOnce() throws Exception {
        Path data = mount.resolve("data");
        String[] arguments = setup.arguments("--vep.data-directory=" + data, "--vep.storage.free-space-warning=24MB",
                "--vep.storage.free-space-minimum=" + MINIMUM / MB + "MB", "--vep.storage.free-space-check-interval=200ms");
        List<String[]> stream = CaseStream.stream("disk-case-", CASES);
        vep.declareExchange(setup.exchange());
        try {
            try (RunningConnector connector = RunningConnector.start(arguments)) {
                await().atMost(Duration.ofSeconds(60)).until(connector::isConsuming);
                CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> publishAtRate(stream));
                await().atMost(Duration.ofSeconds(60)).until(() -> count(connector, "SELECT COUNT(*) FROM event_log") > stream.size() / 5);

                Path filler = mount.resolve("filler");
                long filled = fill(filler, MINIMUM / 2);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    ResponseEntity<String> readiness = get(connector, "/actuator/health/readiness");
                    assertThat(readiness.getStatusCode().value()).isEqualTo(503);
                    assertThat(readiness.getBody()).contains("\"dataDisk\"", "OUT_OF_SERVICE", "below vep.storage.free-space-minimum");
                });
                assertThat(get(connector, "/actuator/health/liveness").getStatusCode().value()).as("no restart for a full disk").isEqualTo(200);
                assertThat(connector.bean(MeterRegistry.class).get("vep.storage.low.disk").gauge().value()).isEqualTo(2);
                assertThat(get(connector, "/actuator/prometheus").getBody()).contains("vep_storage_free_bytes", "vep_storage_total_bytes");
                await().atMost(Duration.ofSeconds(30)).until(() -> ingestRoute(connector) == ServiceStatus.Stopped);
                await().atMost(Duration.ofSeconds(30)).until(() -> queueWatch.messageCount(setup.queue()) > RATE / 2);
                AtomicLong taken = new AtomicLong(-1);
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(20))
                        .until(() -> {
                            long now = taken(connector);
                            return taken.getAndSet(now) == now;
                        });
                assertThat(queueWatch.messageCount(setup.queue())).as("messages wait on the broker meanwhile").isGreaterThan(RATE / 2);
                long freeWhileStopped = Files.getFileStore(mount).getUsableSpace();

                Files.delete(filler);
                await().atMost(Duration.ofSeconds(30)).until(() -> get(connector, "/actuator/health/readiness").getStatusCode().value() == 200);
                publishing.get();
                await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
                    assertThat(count(connector, "SELECT COUNT(*) FROM event_log")).as("every event, once").isEqualTo(stream.size());
                    assertThat(count(connector, "SELECT COUNT(*) FROM inbox")).isZero();
                    assertThat(queueWatch.messageCount(setup.queue())).isZero();
                    assertThat(recordFiles(data)).isEqualTo(CASES);
                });
                assertEveryRecordComplete(data, "disk-case-");
                System.out.printf("[figures] low disk: a %d MB file left %d MB of a 64 MB tmpfs; the connector stopped taking "
                                + "messages with %d stored and %.1f MB free, and took all %d events of %d cases once when the file was gone%n",
                        filled / MB, freeWhileStopped / MB, taken.get(), freeWhileStopped / (double) MB, stream.size(), CASES);
            }
            try (RunningConnector restarted = RunningConnector.start(arguments)) {
                await().atMost(Duration.ofSeconds(60)).until(restarted::isConsuming);
                assertThat(count(restarted, "SELECT COUNT(*) FROM event_log")).as("the database opens, all there").isEqualTo(stream.size());
                assertThat(count(restarted, "SELECT COUNT(DISTINCT case_id) FROM case_record")).isEqualTo(CASES);
            }
        } finally {
            vep.deleteQueue(setup.queue());
            vep.deleteExchange(setup.exchange());
            vep.close();
            queueWatch.close();
        }
    }

    /**
     * With the stop turned off (a minimum of 0) the disk fills up under the database: its write fails, and
     * the embedded database closes itself, and liveness says to restart (that opens it again). Nothing it did not store
     * was acknowledged: after the restart every event is there once.
     */
    @Test
    void aDiskFullAnywayAcknowledgesNothingItDidNotStore() throws Exception {
        Path data = mount.resolve("never-stopping");
        String[] arguments = setup.arguments("--vep.data-directory=" + data, "--vep.storage.free-space-minimum=0",
                "--vep.storage.free-space-check-interval=200ms");
        List<String[]> stream = CaseStream.stream("full-case-", CASES);
        vep.declareExchange(setup.exchange());
        Path filler = mount.resolve("filler-to-the-brim");
        try {
            try (RunningConnector connector = RunningConnector.start(arguments)) {
                await().atMost(Duration.ofSeconds(60)).until(connector::isConsuming);
                CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> publishAtRate(stream));
                await().atMost(Duration.ofSeconds(60)).until(() -> count(connector, "SELECT COUNT(*) FROM event_log") > stream.size() / 5);
                fill(filler, 0);
                await().atMost(Duration.ofSeconds(30)).until(() -> queueWatch.messageCount(setup.queue()) > RATE / 2);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    var liveness = get(connector, "/actuator/health/liveness");
                    assertThat(liveness.getStatusCode().value()).as("a restart is what reopens the database").isEqualTo(503);
                    assertThat(liveness.getBody()).contains("embeddedDatabase", "restart the connector");
                });
                publishing.get();
            }
            Files.delete(filler);
            try (RunningConnector restarted = RunningConnector.start(arguments)) {
                await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
                    assertThat(count(restarted, "SELECT COUNT(*) FROM event_log")).as("every event, once").isEqualTo(stream.size());
                    assertThat(count(restarted, "SELECT COUNT(*) FROM inbox")).isZero();
                    assertThat(queueWatch.messageCount(setup.queue())).isZero();
                    assertThat(recordFiles(data)).isEqualTo(CASES);
                });
                assertEveryRecordComplete(data, "full-case-");
            }
        } finally {
            Files.deleteIfExists(filler);
            vep.deleteQueue(setup.queue());
            vep.deleteExchange(setup.exchange());
            vep.close();
            queueWatch.close();
        }
    }

    /** Writes a file of real blocks (a sparse one would take no room) until the file system has about {@code leave} bytes free. */
    private static long fill(Path filler, long leave) throws IOException {
        ByteBuffer block = ByteBuffer.allocate((int) MB);
        long written = 0;
        try (FileChannel out = FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (Files.getFileStore(mount).getUsableSpace() > leave) {
                block.clear();
                written += out.write(block);
            }
        } catch (IOException full) {
            if (leave > 0) {
                throw full;
            }
        }
        return written;
    }

    private void publishAtRate(List<String[]> messages) {
        long start = System.nanoTime();
        try {
            for (int i = 0; i < messages.size(); i++) {
                long wait = (start + i * 1_000_000_000L / RATE - System.nanoTime()) / 1_000_000;
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                vep.publish(setup.exchange(), messages.get(i)[0], messages.get(i)[1]);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertEveryRecordComplete(Path data, String prefix) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            Path file = data.resolve("out").resolve("cases").resolve(CaseStream.caseId(prefix, i) + ".json");
            String problem = CaseStream.check(i, json.readTree(file.toFile()), false);
            if (problem != null) {
                wrong.add(file.getFileName() + ": " + problem);
            }
        }
        assertThat(wrong).as("records that are not exactly what was sent").isEmpty();
    }

    private static long recordFiles(Path data) throws IOException {
        Path cases = data.resolve("out").resolve("cases");
        if (!Files.isDirectory(cases)) {
            return 0;
        }
        try (var files = Files.list(cases)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).count();
        }
    }

    /** Messages the connector has taken off the broker: stored, processed or not. */
    private static long taken(RunningConnector connector) {
        return count(connector, "SELECT (SELECT COUNT(*) FROM event_log) + (SELECT COUNT(*) FROM inbox)");
    }

    private static ServiceStatus ingestRoute(RunningConnector connector) {
        return connector.bean(CamelContext.class).getRouteController().getRouteStatus(BrokerTopology.INGEST_ROUTE_ID);
    }

    private static ResponseEntity<String> get(RunningConnector connector, String path) {
        return connector.management().get().uri(path).retrieve().onStatus(status -> true, (request, response) -> { }).toEntity(String.class);
    }

    private static long count(RunningConnector connector, String sql) {
        Long n = connector.jdbc().queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
