package dev.vepconnector.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of the connector (a JVM of its own) while VEP streams cases, then a restart: every
 * case's record is written, complete, once, with no assignment counted twice. Sized for CI by default;
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

    @Test
    void everyCaseIsCompleteAndPresentOnceAfterKillNineMidStream() throws Exception {
        vep.declareExchange(setup.exchange());
        List<String[]> stream = stream();
        connector = startAndAwaitConsuming();

        AtomicInteger published = new AtomicInteger();
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> publishAll(stream, published));
        long worstRestartMs = 0;
        for (int kill = 1; kill <= KILLS; kill++) {
            int killAt = stream.size() * kill / (KILLS + 1);
            await().atMost(Duration.ofMinutes(5)).until(() -> published.get() >= killAt || publishing.isDone());
            connector.kill9();
            long killedAt = System.nanoTime();
            connector = startAndAwaitConsuming();
            worstRestartMs = Math.max(worstRestartMs, (System.nanoTime() - killedAt) / 1_000_000);
        }
        publishing.get();
        long drainStart = System.nanoTime();
        await().atMost(Duration.ofMinutes(3)).until(() -> recordsWritten() == CASES);
        long drainMs = (System.nanoTime() - drainStart) / 1_000_000;

        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            String problem = check(i, JSON.readTree(out.resolve("cases").resolve(caseId(i) + ".json").toFile()));
            if (problem != null) {
                wrong.add(caseId(i) + ": " + problem);
            }
        }
        System.out.printf("[figures] crash: kills=%d cases=%d events=%d lost=0 wrong=%d restart-to-consuming(max)=%d ms "
                + "drain-after-last-publish=%d ms%n", KILLS, CASES, stream.size(), wrong.size(), worstRestartMs, drainMs);
        assertThat(wrong).isEmpty();
    }

    private ConnectorProcess startAndAwaitConsuming() {
        ConnectorProcess started = ConnectorProcess.start(log, setup.arguments(
                "--vep.sinks.file.directory=" + out, "--vep.sinks.file.pretty=false", "--logging.level.root=WARN"));
        await().atMost(Duration.ofSeconds(60)).until(started::isConsuming);
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

    // --- the stream: 10 cases in flight at a time, some transferred, some with a visitor profile ---

    static String caseId(int i) {
        return "crash-case-" + i;
    }

    static boolean transferred(int i) {
        return i % 4 == 0;
    }

    static boolean profiled(int i) {
        return i % 3 == 0;
    }

    static int eventCount(int i) {
        return 4 + (transferred(i) ? 2 : 0) + (profiled(i) ? 1 : 0);
    }

    static List<String[]> stream() {
        List<List<String[]>> lifecycles = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            lifecycles.add(lifecycle(i));
        }
        List<String[]> stream = new ArrayList<>();
        for (int window = 0; window < CASES; window += 10) {
            List<List<String[]>> inFlight = lifecycles.subList(window, Math.min(window + 10, CASES));
            for (int step = 0; step < 7; step++) {
                for (List<String[]> lifecycle : inFlight) {
                    if (step < lifecycle.size()) {
                        stream.add(lifecycle.get(step));
                    }
                }
            }
        }
        return stream;
    }

    static List<String[]> lifecycle(int i) {
        String id = caseId(i);
        String t = "2026-11-23T10:%02d:%02d".formatted((i / 60) % 60, i % 60);
        List<String[]> events = new ArrayList<>();
        events.add(new String[] {"case.created", """
                {"eventTime": "%s.000Z", "caseId": "%s", "caseTypeId": "type-1"}""".formatted(t, id)});
        if (profiled(i)) {
            events.add(new String[] {"case.visitorProfile", """
                    {"eventTime": "%s.050Z", "caseId": "%s", "profile": {"orderNo": "A-%d"}}""".formatted(t, id, i)});
        }
        events.add(new String[] {"case.opened", """
                {"eventTime": "%s.100Z", "caseId": "%s", "agentId": "agent-a", "groupId": "group-1"}""".formatted(t, id)});
        if (transferred(i)) {
            events.add(new String[] {"case.transferred.toGroup", """
                    {"eventTime": "%s.200Z", "caseId": "%s", "previousAgentId": "agent-a", "previousGroupId": "group-1",
                     "newGroupId": "group-2"}""".formatted(t, id)});
            events.add(new String[] {"case.opened", """
                    {"eventTime": "%s.300Z", "caseId": "%s", "agentId": "agent-b", "groupId": "group-2"}""".formatted(t, id)});
        }
        events.add(new String[] {"case.closed", """
                {"eventTime": "%s.400Z", "caseId": "%s", "outcome": "positive", "closure": "Case %d"}""".formatted(t, id, i)});
        events.add(new String[] {"case.transcriptClosed", """
                {"eventTime": "%s.500Z", "caseId": "%s", "transcript": {"messages": [{"eventTime": "%s.150Z",
                 "speaker": {"visitorId": "v-%d"}, "messageType": "chat", "message": "Message of case %d"}]}}"""
                .formatted(t, id, t, i, i)});
        return events;
    }

    /** What is wrong with a case's record, or null. */
    static String check(int i, JsonNode record) {
        int assignments = transferred(i) ? 2 : 1;
        if (record.get("revision").asInt() != 1) {
            return "revision " + record.get("revision");
        }
        if (record.get("assignments").size() != assignments) {
            return record.get("assignments").size() + " assignments, expected " + assignments;
        }
        if (record.get("transfers").size() != (transferred(i) ? 1 : 0)) {
            return record.get("transfers").size() + " transfers";
        }
        if (record.get("events").size() != eventCount(i)) {
            return record.get("events").size() + " events, expected " + eventCount(i);
        }
        if (record.get("transcriptMissing").asBoolean() || !record.get("transcript").toString().contains("Message of case " + i + "\"")) {
            return "transcript missing or wrong";
        }
        if (!("Case " + i).equals(record.path("closure").asText())) {
            return "closure " + record.path("closure");
        }
        if (profiled(i) != record.has("visitorProfile")) {
            return "visitor profile " + record.path("visitorProfile");
        }
        return null;
    }
}
