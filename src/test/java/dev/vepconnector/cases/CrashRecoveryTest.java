package dev.vepconnector.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.support.CaseStream;
import dev.vepconnector.support.ConnectorProcess;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kill -9} of the connector (a JVM of its own) while VEP streams cases, then a restart: every
 * case's record is written, complete, once, with no assignment counted twice; with the embedded database
 * writing at once (the default) and with writes shared over {@code vep.storage.write-interval}, the
 * setting docs/retention.md offers for modest traffic. Sized for CI by default;
 * {@code -Dvep.crash.cases=2000 -Dvep.crash.kills=5} gives the figures of the reliability table.
 */
class CrashRecoveryTest {

    static final int CASES = Integer.getInteger("vep.crash.cases", 300);
    static final int KILLS = Integer.getInteger("vep.crash.kills", 1);
    static final ObjectMapper JSON = new ObjectMapper();

    final Setup setup = Setup.unique();
    final FakeVep vep = new FakeVep();
    final Path out = setup.dataDirectory().resolve("out");
    final Path log = setup.dataDirectory().resolve("connector.log");
    ConnectorProcess connector;

    @AfterEach
    void cleanUp() {
        if (connector != null) {
            connector.close();
        }
        vep.deleteQueue(setup.queue());
        vep.deleteExchange(setup.exchange());
        vep.close();
    }

    @ParameterizedTest(name = "vep.storage.write-interval={0}")
    @ValueSource(strings = {"0ms", "500ms"})
    void everyCaseIsCompleteAndPresentOnceAfterKillNineMidStream(String writeInterval) throws Exception {
        vep.declareExchange(setup.exchange());
        List<String[]> stream = CaseStream.stream("crash-case-", CASES);
        connector = startAndAwaitConsuming(writeInterval);

        AtomicInteger published = new AtomicInteger();
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> publishAll(stream, published));
        long worstRestartMs = 0;
        for (int kill = 1; kill <= KILLS; kill++) {
            int killAt = stream.size() * kill / (KILLS + 1);
            await().atMost(Duration.ofMinutes(5)).until(() -> published.get() >= killAt || publishing.isDone());
            connector.kill9();
            long killedAt = System.nanoTime();
            connector = startAndAwaitConsuming(writeInterval);
            worstRestartMs = Math.max(worstRestartMs, (System.nanoTime() - killedAt) / 1_000_000);
        }
        publishing.get();
        long drainStart = System.nanoTime();
        await().atMost(Duration.ofMinutes(3)).until(() -> recordsWritten() == CASES);
        long drainMs = (System.nanoTime() - drainStart) / 1_000_000;

        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            String problem = CaseStream.check(i, JSON.readTree(out.resolve("cases").resolve(CaseStream.caseId("crash-case-", i) + ".json").toFile()), false);
            if (problem != null) {
                wrong.add(CaseStream.caseId("crash-case-", i) + ": " + problem);
            }
        }
        System.out.printf("[figures] crash: kills=%d cases=%d events=%d lost=0 wrong=%d restart-to-consuming(max)=%d ms "
                + "drain-after-last-publish=%d ms%n", KILLS, CASES, stream.size(), wrong.size(), worstRestartMs, drainMs);
        assertThat(wrong).isEmpty();
    }

    private ConnectorProcess startAndAwaitConsuming(String writeInterval) {
        ConnectorProcess started = ConnectorProcess.start(log, setup.arguments(
                "--vep.sinks.file.directory=" + out, "--vep.sinks.file.pretty=false", "--logging.level.root=WARN",
                "--vep.storage.write-interval=" + writeInterval));
        await().atMost(ConnectorProcess.START_PATIENCE).until(started::isConsuming);
        return started;
    }

    private long recordsWritten() throws java.io.IOException {
        Path cases = out.resolve("cases");
        if (!Files.isDirectory(cases)) {
            return 0;
        }
        try (var files = Files.list(cases)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).count();
        }
    }

    private void publishAll(List<String[]> stream, AtomicInteger published) {
        try {
            for (String[] event : stream) {
                vep.publish(setup.exchange(), event[0], event[1]);
                published.incrementAndGet();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}
