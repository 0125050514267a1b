package dev.vepconnector.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.RunningConnector;
import dev.vepconnector.support.TestBroker;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * 10,000 malformed or hostile messages (broken JSON, deep nesting, huge strings, wrong types, invalid
 * enumerations, unknown routing keys, bytes that are not UTF-8) mixed into 10,000 valid ones: every bad
 * one is dead-lettered with a reason (unknown routing keys are counted and skipped), every good one
 * stored, the stream never stalls and memory stays bounded. Prints its figures. (A bad message sent
 * twice with the same routing key and body is kept once: each one here is different.)
 */
class HostileInputTest {

    private static final int VALID = 10_000;
    private static final int HOSTILE = 10_000;
    private final Setup setup = Setup.unique();
    private final FakeVep vep = new FakeVep();

    @AfterEach
    void cleanUp() {
        vep.deleteQueue(setup.queue());
        vep.deleteExchange(setup.exchange());
        vep.close();
    }

    record Message(String routingKey, byte[] body, String expectation) {
    }

    @Test
    void everyBadMessageIsDeadLetteredAndEveryGoodOneStored() throws Exception {
        List<Message> messages = mix(new SplittableRandom(20261124));
        Map<String, Long> expected = new TreeMap<>();
        messages.forEach(m -> expected.merge(m.expectation(), 1L, Long::sum));
        vep.declareExchange(setup.exchange());
        try (RunningConnector connector = RunningConnector.start(setup.arguments())) {
            await().atMost(Duration.ofSeconds(30)).until(connector::isConsuming);
            AtomicLong peakHeap = new AtomicLong();
            Thread sampler = heapSampler(peakHeap);
            long start = System.nanoTime();
            publish(messages);
            long stored = expected.getOrDefault("stored", 0L);
            long deadLettered = messages.stream().filter(m -> m.expectation().startsWith("dead-letter")).count();
            await().atMost(Duration.ofSeconds(300)).untilAsserted(() -> {
                assertThat(connector.jdbc().queryForObject("SELECT COUNT(*) FROM event_log", Long.class)).isEqualTo(stored);
                assertThat(connector.jdbc().queryForObject("SELECT COUNT(*) FROM dead_letter", Long.class)).isEqualTo(deadLettered);
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            sampler.interrupt();

            Map<String, Long> byReason = new TreeMap<>();
            connector.jdbc().query("SELECT reason_code, COUNT(*) FROM dead_letter GROUP BY reason_code",
                    rs -> { byReason.put(rs.getString(1), rs.getLong(2)); });
            expected.forEach((expectation, count) -> {
                if (expectation.startsWith("dead-letter:")) {
                    assertThat(byReason.get(expectation.substring("dead-letter:".length()))).as(expectation).isEqualTo(count);
                }
            });
            assertThat(connector.jdbc().queryForObject("SELECT COUNT(*) FROM dead_letter WHERE reason IS NULL OR reason = ''", Long.class)).isZero();
            long heapLimit = Runtime.getRuntime().maxMemory();
            System.out.printf("%n[figures] hostile input: %d valid + %d hostile messages in %.1f s (%.0f msg/s); stored %d; "
                            + "dead-lettered %s; ignored (unknown routing keys) %d; peak heap used %d MB of %d MB%n",
                    VALID, HOSTILE, seconds, messages.size() / seconds, stored, byReason, expected.getOrDefault("ignored", 0L),
                    peakHeap.get() >> 20, heapLimit >> 20);
            assertThat(peakHeap.get()).as("memory stays bounded").isLessThan(heapLimit * 9 / 10);
        }
    }

    private static List<Message> mix(SplittableRandom random) {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < VALID + HOSTILE; i++) {
            messages.add(i % 2 == 0 ? valid(i) : hostile(i, random));
        }
        return messages;
    }

    private static Message valid(int i) {
        String body = "{\"eventTime\": \"2026-11-23T10:00:00.000Z\", \"caseId\": \"valid-" + i + "\", \"agentId\": \"a-" + (i % 40)
                + "\", \"groupId\": \"g-1\", \"note\": \"Åsa & Zoë – ok\"}";
        return new Message("case.opened", utf8(body), "stored");
    }

    private static Message hostile(int i, SplittableRandom random) {
        String id = "hostile-" + i;
        return switch (random.nextInt(10)) {
            case 0 -> new Message("case.created", utf8("{\"caseId\": \"" + id + "\", \"opportunityId\": "), "dead-letter:not-json");
            case 1 -> new Message("case.visitorProfile", utf8("{\"caseId\": \"" + id + "\", \"profile\": " + "[".repeat(20_000) + "]".repeat(20_000) + "}"),
                    "dead-letter:limit-exceeded");
            case 2 -> new Message("case.closed", utf8("{\"caseId\": \"" + id + "\", \"outcome\": \"" + "A".repeat(random.nextInt(1000) == 0 ? 2_000_000 : 5_000) + "\"}"),
                    "dead-letter:invalid-value");
            case 3 -> new Message("group.loadChanged", utf8("{\"groupId\": \"" + id + "\", \"numberOfVisitorsInQueue\": {\"$gt\": 1}}"), "dead-letter:invalid-value");
            case 4 -> new Message("case.closed", utf8("{\"caseId\": \"" + id + "\", \"outcome\": \"DROP TABLE event_log\"}"), "dead-letter:invalid-value");
            case 5 -> new Message("case." + "x".repeat(random.nextInt(1, 200)), utf8("{\"caseId\": \"" + id + "\"}"), "ignored");
            case 6 -> new Message("case.opened", latin1AfterUtf8("{\"caseId\": \"" + id + "\", \"agentId\": \"", "Zoë\"}"),
                    "dead-letter:invalid-encoding");
            case 7 -> new Message("case.opened", utf8("{\"agentId\": \"a\", \"groupId\": \"" + id + "\"}"), "dead-letter:missing-field");
            case 8 -> new Message("configuration.agent", utf8("\"" + id + "\""), "dead-letter:not-object");
            default -> new Message("case.transcriptClosed", utf8("{\"caseId\": \"" + id + "\", \"transcript\": {\"messages\": 42}}"), "dead-letter:invalid-value");
        };
    }

    /** Valid UTF-8, then text encoded as ISO-8859-1 (bytes that are not UTF-8), as a misconfigured producer sends. */
    private static byte[] latin1AfterUtf8(String utf8, String latin1) {
        byte[] head = utf8.getBytes(StandardCharsets.UTF_8);
        byte[] tail = latin1.getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, body, head.length, tail.length);
        return body;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void publish(List<Message> messages) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(TestBroker.host());
        factory.setPort(TestBroker.port());
        try (Connection connection = factory.newConnection("hostile-publisher"); Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
            int n = 0;
            for (Message m : messages) {
                channel.basicPublish(setup.exchange(), m.routingKey(), persistent, m.body());
                if (++n % 500 == 0) {
                    channel.waitForConfirmsOrDie(60_000);
                }
            }
            channel.waitForConfirmsOrDie(60_000);
        }
    }

    private static Thread heapSampler(AtomicLong peak) {
        Thread thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                peak.accumulateAndGet(heap.getUsed(), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
