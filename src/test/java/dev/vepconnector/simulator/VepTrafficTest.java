package dev.vepconnector.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.events.ReadResult;
import dev.vepconnector.events.VepEventReader;
import dev.vepconnector.events.VepEventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The simulator's traffic is VEP's: valid by the connector's strict reader, realistic in its mix, reproducible. */
class VepTrafficTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final VepEventReader reader = new VepEventReader();

    static SimulatorProperties properties(long seed, long cases) {
        return new SimulatorProperties(seed, 0, cases, 20, 4, 12,
                new SimulatorProperties.Mix(0.25, 0.15, 0.5, 0.6, 0.1, 0.02, 0.05, 0.01));
    }

    static List<SimulatedMessage> take(VepTraffic traffic, int n) {
        List<SimulatedMessage> messages = new ArrayList<>();
        while (messages.size() < n && traffic.hasNext()) {
            messages.add(traffic.next());
        }
        return messages;
    }

    @Test
    void theSameSeedGivesTheSameTrafficAndAnotherSeedOtherTraffic() {
        List<String> first = take(VepTraffic.simulated(properties(7, 0)), 5000).stream().map(SimulatedMessage::toString).toList();
        List<String> again = take(VepTraffic.simulated(properties(7, 0)), 5000).stream().map(SimulatedMessage::toString).toList();
        List<String> other = take(VepTraffic.simulated(properties(8, 0)), 5000).stream().map(SimulatedMessage::toString).toList();
        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(VepTraffic.simulated(properties(7, 0)).configuration()).extracting(SimulatedMessage::toString)
                .isEqualTo(VepTraffic.simulated(properties(7, 0)).configuration().stream().map(SimulatedMessage::toString).toList());
    }

    @Test
    void everyMessageIsValidVepAndEveryTypeOfTheInterfaceOccurs() {
        VepTraffic traffic = VepTraffic.simulated(properties(42, 2000));
        List<SimulatedMessage> all = new ArrayList<>(traffic.configuration());
        while (traffic.hasNext()) {
            all.add(traffic.next());
        }
        Set<String> unknownTypes = new HashSet<>();
        for (SimulatedMessage message : all) {
            ReadResult result = reader.read(message.routingKey(), message.body(), Instant.now());
            if (VepEventType.ofRoutingKey(message.routingKey()).isPresent()) {
                assertThat(result).as(message.toString()).isInstanceOf(ReadResult.Accepted.class);
            } else {
                assertThat(result).isInstanceOf(ReadResult.Ignored.class);
                unknownTypes.add(message.routingKey());
            }
        }
        Set<String> keys = all.stream().map(SimulatedMessage::routingKey).collect(Collectors.toSet());
        assertThat(keys).containsAll(Arrays.stream(VepEventType.values()).map(VepEventType::routingKey).toList());
        assertThat(unknownTypes).isNotEmpty();
        assertThat(all).anyMatch(m -> m.text().contains("\"vepTrace\""));

        Set<String> messageTypes = new HashSet<>();
        for (SimulatedMessage m : all) {
            if (m.routingKey().equals("case.transcriptClosed")) {
                read(m).get("transcript").get("messages").forEach(msg -> messageTypes.add(msg.get("messageType").asText()));
            }
        }
        assertThat(messageTypes).contains("chat", "navigation", "note", "link", "video", "title", "cobrowseHighlight");
        assertThat(all).anyMatch(m -> m.text().contains("\"activity\":\"start\"")).anyMatch(m -> m.text().contains("\"activity\":\"stop\""));
    }

    @Test
    void casesFollowRealisticLifecyclesAndAllEnd() {
        VepTraffic traffic = VepTraffic.simulated(properties(42, 1000));
        Map<String, List<String>> byCase = new HashMap<>();
        while (traffic.hasNext()) {
            SimulatedMessage m = traffic.next();
            if (m.routingKey().startsWith("case.")) {
                byCase.computeIfAbsent(read(m).get("caseId").asText(), id -> new ArrayList<>()).add(m.routingKey()
                        + (m.routingKey().equals("case.closed") ? ":" + read(m).get("outcome").asText() : ""));
            }
        }
        assertThat(byCase).hasSize(1000);
        assertThat(byCase.values()).allSatisfy(events -> {
            assertThat(events.get(0)).isEqualTo("case.created");
            assertThat(events).anyMatch(e -> e.startsWith("case.closed"));
        });
        long transferred = byCase.values().stream().filter(e -> e.contains("case.transferred.toGroup")).count();
        long reopened = byCase.values().stream().filter(e -> e.stream().filter(x -> x.startsWith("case.closed")).count() > 1).count();
        long transcriptFirst = byCase.values().stream().filter(e -> e.indexOf("case.transcriptClosed") >= 0
                && e.indexOf("case.transcriptClosed") < indexOfFirstClose(e)).count();
        long missingTranscript = byCase.values().stream().filter(e -> !e.contains("case.transcriptClosed")).count();
        long profiled = byCase.values().stream().filter(e -> e.contains("case.visitorProfile")).count();
        assertThat(transferred).isBetween(100L, 600L);
        assertThat(reopened).isBetween(20L, 200L);
        assertThat(transcriptFirst).isBetween(30L, 250L);
        assertThat(missingTranscript).isBetween(1L, 100L);
        assertThat(profiled).isBetween(450L, 750L);
    }

    @Test
    void queueEventsAreThrottledAndLeaveOutWhatDidNotChange() {
        VepTraffic traffic = VepTraffic.simulated(properties(42, 500));
        Map<String, List<JsonNode>> loadByGroup = new HashMap<>();
        int partial = 0;
        while (traffic.hasNext()) {
            SimulatedMessage m = traffic.next();
            if (m.routingKey().equals("group.loadChanged")) {
                JsonNode body = read(m);
                loadByGroup.computeIfAbsent(body.get("groupId").asText(), g -> new ArrayList<>()).add(body);
                if (body.size() < 5) {
                    partial++;
                }
                assertThat(body.path("numberOfVisitorsInQueue").asLong(0)).isGreaterThanOrEqualTo(0);
            }
        }
        assertThat(loadByGroup).hasSize(4);
        assertThat(partial).as("content deduplication leaves unchanged figures out").isGreaterThan(0);
        for (List<JsonNode> events : loadByGroup.values()) {
            assertThat(events.get(0).size()).as("the first report is complete").isEqualTo(5);
            for (int i = 1; i < events.size(); i++) {
                long gap = Instant.parse(events.get(i).get("eventTime").asText()).toEpochMilli()
                        - Instant.parse(events.get(i - 1).get("eventTime").asText()).toEpochMilli();
                assertThat(gap).as("throttled to one report per second per group").isGreaterThanOrEqualTo(1000);
            }
        }
    }

    private static int indexOfFirstClose(List<String> events) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).startsWith("case.closed")) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static JsonNode read(SimulatedMessage m) {
        try {
            return JSON.readTree(m.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
