package dev.vepconnector.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.events.ReadResult;
import dev.vepconnector.events.VepEventReader;
import dev.vepconnector.events.VepEventType;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The realistic pacing, driven by a clock the test moves on one second at a time: four hours of a
 * contact center played 60 times faster than real time. What a supervisor would see must add up: the
 * published queue figures are the queue as it is, nobody is answered by an agent without room, waits
 * range from seconds to minutes and conversations last minutes, and every conversation fits its case type.
 */
class ContactCenterTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant START = Instant.parse("2026-11-23T09:00:00Z");
    static final double TIME_SCALE = 60;
    static final int SECONDS = 240;

    static ContactCenter center;
    static final List<Step> steps = new ArrayList<>();
    static final List<SimulatedMessage> all = new ArrayList<>();

    /** What was published up to a moment, and the model's own figures then. */
    record Step(Instant at, List<SimulatedMessage> messages, Map<String, ContactCenter.Figures> figures) {
    }

    static SimulatorProperties realistic(long seed, long cases, double timeScale) {
        return realistic(seed, cases, timeScale, 4, 12);
    }

    static SimulatorProperties realistic(long seed, long cases, double timeScale, int groups, int agents) {
        return new SimulatorProperties(seed, SimulatorProperties.Pacing.REALISTIC, 0, cases, 20, groups, agents, timeScale, 1,
                new SimulatorProperties.Mix(0.25, 0.15, 0.5, 0.6, 0.1, 0.02, 0.05, 0.01));
    }

    @BeforeAll
    static void playFourHours() {
        center = new ContactCenter(realistic(42, 0, TIME_SCALE), START);
        all.addAll(center.configuration());
        List<String> groupIds = all.stream().filter(m -> m.routingKey().equals("configuration.group"))
                .map(m -> read(m).get("groupId").asText()).toList();
        for (int s = 0; s <= SECONDS; s++) {
            Instant at = START.plusSeconds(s);
            List<SimulatedMessage> messages = center.advanceTo(at);
            Map<String, ContactCenter.Figures> figures = new HashMap<>();
            groupIds.forEach(g -> figures.put(g, center.figures(g)));
            steps.add(new Step(at, messages, figures));
            all.addAll(messages);
        }
    }

    @Test
    void everyMessageIsValidVepAndNoneIsDatedInTheFuture() {
        VepEventReader reader = new VepEventReader();
        Set<String> routingKeys = new HashSet<>();
        for (Step step : steps) {
            for (SimulatedMessage m : step.messages()) {
                routingKeys.add(m.routingKey());
                ReadResult result = reader.read(m.routingKey(), m.body(), step.at());
                if (VepEventType.ofRoutingKey(m.routingKey()).isPresent()) {
                    assertThat(result).as(m.toString()).isInstanceOf(ReadResult.Accepted.class);
                }
                assertThat(Instant.parse(read(m).get("eventTime").asText())).as(m.toString()).isBeforeOrEqualTo(step.at());
            }
        }
        assertThat(routingKeys).containsAll(List.of("case.created", "case.visitorProfile", "case.opened", "case.transferred.toGroup",
                "case.closed", "case.transcriptClosed", "group.loadChanged", "group.performanceTimers"));
    }

    @Test
    void thePublishedQueueFiguresAreTheQueueAsItIs() {
        Map<String, Map<String, Long>> load = new HashMap<>();
        Map<String, Map<String, Long>> timers = new HashMap<>();
        long mostWaiting = 0;
        for (Step step : steps) {
            for (SimulatedMessage m : step.messages()) {
                if (m.routingKey().startsWith("group.")) {
                    JsonNode body = read(m);
                    Map<String, Long> figures = (m.routingKey().equals("group.loadChanged") ? load : timers)
                            .computeIfAbsent(body.get("groupId").asText(), g -> new HashMap<>());
                    body.fields().forEachRemaining(f -> {
                        if (f.getValue().isNumber()) {
                            figures.put(f.getKey(), f.getValue().asLong());
                        }
                    });
                }
            }
            step.figures().forEach((group, now) -> {
                assertThat(load.get(group)).as("group %s at %s", group, step.at())
                        .containsEntry("numberOfVisitorsInQueue", now.visitorsInQueue())
                        .containsEntry("numberOfVisitorsInConversation", now.visitorsInConversation())
                        .containsEntry("numberOfAvailableAgents", now.availableAgents());
                if (now.visitorsInQueue() + now.visitorsInConversation() > 0) {
                    assertThat(timers.get(group)).as("group %s at %s", group, step.at())
                            .containsEntry("longestWaitingTime", now.longestWaitingMs())
                            .containsEntry("averageWaitingTime", now.averageWaitingMs());
                }
                if (now.waitingForNoAgent() > 0) {
                    assertThat(now.availableAgents()).as("visitors wait while an agent of %s has room, at %s", group, step.at()).isZero();
                }
            });
            mostWaiting = Math.max(mostWaiting, step.figures().values().stream().mapToLong(ContactCenter.Figures::visitorsInQueue).max().orElse(0));
        }
        assertThat(mostWaiting).as("a queue gets over-loaded at times").isGreaterThanOrEqualTo(5);
    }

    @Test
    void nobodyIsAnsweredBeforeAnAgentOfTheGroupHasRoom() {
        Map<String, Set<String>> groupsOfAgent = new HashMap<>();
        Map<String, Integer> conversations = new HashMap<>();
        Map<String, String> agentOfCase = new HashMap<>();
        int maxAtOnce = 0;
        for (SimulatedMessage m : all) {
            JsonNode body = read(m);
            switch (m.routingKey()) {
                case "configuration.agent" -> {
                    Set<String> groups = new HashSet<>();
                    body.get("agentAssignedGroups").forEach(g -> groups.add(g.asText()));
                    groupsOfAgent.put(body.get("agentId").asText(), groups);
                }
                case "case.opened" -> {
                    String agent = body.get("agentId").asText();
                    assertThat(groupsOfAgent.get(agent)).as("the agent belongs to the group").contains(body.get("groupId").asText());
                    int before = conversations.getOrDefault(agent, 0);
                    assertThat(before).as("%s's conversations when another opens", agent).isLessThan(center.capacityOf(agent));
                    conversations.put(agent, before + 1);
                    maxAtOnce = Math.max(maxAtOnce, before + 1);
                    agentOfCase.put(body.get("caseId").asText(), agent);
                }
                case "case.closed", "case.transferred.toGroup" -> conversations.merge(agentOfCase.remove(body.get("caseId").asText()), -1, Integer::sum);
                default -> { }
            }
        }
        assertThat(maxAtOnce).as("an agent takes two conversations at a time").isEqualTo(2);
        assertThat(groupsOfAgent.keySet()).anyMatch(agent -> center.capacityOf(agent) == 1);
    }

    @Test
    void visitorsWaitSecondsToMinutesAndConversationsLastMinutes() {
        Map<String, Instant> created = new HashMap<>();
        Map<String, Instant> opened = new HashMap<>();
        List<Duration> waits = new ArrayList<>();
        List<Duration> handled = new ArrayList<>();
        for (SimulatedMessage m : all) {
            if (m.routingKey().startsWith("case.")) {
                JsonNode body = read(m);
                String caseId = body.get("caseId").asText();
                Instant at = Instant.parse(body.get("eventTime").asText());
                switch (m.routingKey()) {
                    case "case.created" -> created.put(caseId, at);
                    case "case.opened" -> {
                        if (opened.putIfAbsent(caseId, at) == null) {
                            waits.add(unscaled(Duration.between(created.get(caseId), at)));
                        }
                    }
                    case "case.closed" -> handled.add(unscaled(Duration.between(opened.get(caseId), at)));
                    default -> { }
                }
            }
        }
        waits.sort(null);
        handled.sort(null);
        assertThat(waits.get(0)).as("the shortest wait").isLessThan(Duration.ofSeconds(10));
        assertThat(waits.get(waits.size() * 9 / 10)).as("a tenth wait longer than").isGreaterThan(Duration.ofMinutes(1));
        assertThat(waits.get(waits.size() - 1)).as("the longest wait").isLessThan(Duration.ofMinutes(30));
        assertThat(handled.get(handled.size() / 2)).as("the median conversation").isBetween(Duration.ofMinutes(1), Duration.ofMinutes(10));
        assertThat(created.size() / 4.0 / (SECONDS * TIME_SCALE / 60)).as("visitors per group and minute").isBetween(0.5, 5.0);
    }

    @Test
    void everyConversationFitsItsCaseTypeAndNotesGoToNoVisitor() {
        Map<String, String> caseTypeNames = new HashMap<>();
        Map<String, String> caseTypeOfCase = new HashMap<>();
        Set<String> typesTalkedAbout = new HashSet<>();
        int notes = 0;
        int cardNumbers = 0;
        for (SimulatedMessage m : all) {
            JsonNode body = read(m);
            switch (m.routingKey()) {
                case "configuration.caseType" -> caseTypeNames.put(body.get("caseTypeId").asText(), body.get("caseTypeName").asText());
                case "case.created" -> caseTypeOfCase.put(body.get("caseId").asText(), caseTypeNames.get(body.get("caseTypeId").asText()));
                case "case.transcriptClosed" -> {
                    String caseType = caseTypeOfCase.get(body.get("caseId").asText());
                    typesTalkedAbout.add(caseType);
                    List<Pattern> fitting = Dialogues.patterns(Dialogues.BY_GROUP.values().stream()
                            .filter(t -> t.caseType().equals(caseType)).findFirst().orElseThrow());
                    String lastChatSpeaker = null;
                    for (JsonNode message : body.get("transcript").get("messages")) {
                        String type = message.get("messageType").asText();
                        if (type.equals("chat") || type.equals("note")) {
                            String text = message.get("message").asText();
                            assertThat(fitting).as("a %s line in a %s case", text, caseType).anyMatch(p -> p.matcher(text).matches());
                            cardNumbers += text.contains("4111 1111 1111 1111") ? 1 : 0;
                        }
                        if (type.equals("chat")) {
                            String speaker = message.get("speaker").has("visitorId") ? "visitor" : "agent";
                            assertThat(speaker).as("chat lines alternate: %s", text(message)).isNotEqualTo(lastChatSpeaker);
                            assertThat(message.get("recipients")).as("a chat line goes to the other party").hasSize(1);
                            assertThat(message.get("recipients").get(0).has("visitorId")).isEqualTo(speaker.equals("agent"));
                            lastChatSpeaker = speaker;
                        }
                        if (type.equals("note")) {
                            notes++;
                            assertThat(message.get("speaker").has("agentId")).as("a note is an agent's").isTrue();
                            assertThat(message.get("recipients").toString()).as("a note goes to no visitor").doesNotContain("visitorId");
                        }
                    }
                }
                default -> { }
            }
        }
        assertThat(typesTalkedAbout).containsExactlyInAnyOrder("Invoices", "Orders", "Technical issues", "Returns");
        assertThat(notes).isPositive();
        assertThat(cardNumbers).as("the card number of the redaction demo, now and then").isPositive();
    }

    @Test
    void transfersReopensAndUnresolvedClosesFollowTheMix() {
        Map<String, List<String>> byCase = new HashMap<>();
        for (SimulatedMessage m : all) {
            if (m.routingKey().startsWith("case.")) {
                JsonNode body = read(m);
                byCase.computeIfAbsent(body.get("caseId").asText(), id -> new ArrayList<>())
                        .add(m.routingKey() + (m.routingKey().equals("case.closed") ? ":" + body.get("outcome").asText() : ""));
            }
        }
        assertThat(byCase.values()).allSatisfy(events -> assertThat(events.get(0)).isEqualTo("case.created"));
        long closed = byCase.values().stream().filter(e -> e.stream().anyMatch(x -> x.startsWith("case.closed"))).count();
        long transferred = byCase.values().stream().filter(e -> e.contains("case.transferred.toGroup")).count();
        long unresolved = byCase.values().stream().filter(e -> e.contains("case.closed:unresolved")).count();
        long reopened = byCase.values().stream().filter(e -> e.stream().filter(x -> x.startsWith("case.closed")).count() > 1).count();
        assertThat(closed).as("cases closed in four hours").isGreaterThan(500);
        assertThat((double) transferred / closed).isBetween(0.1, 0.5);
        assertThat((double) unresolved / closed).isBetween(0.05, 0.3);
        assertThat(reopened).isPositive();
    }

    @Test
    void aLimitedRunEndsWithEveryCaseClosedAndTheQueuesEmpty() {
        assertLimitedRunEnds(new ContactCenter(realistic(5, 30, 600), START));
    }

    @Test
    void groupsWithoutAgentsGetNoVisitorsSoEveryCaseStillEnds() {
        assertLimitedRunEnds(new ContactCenter(realistic(5, 30, 600, 8, 3), START));
    }

    private static void assertLimitedRunEnds(ContactCenter limited) {
        Set<String> created = new HashSet<>();
        Set<String> closed = new HashSet<>();
        Instant at = START;
        while (!limited.isFinished()) {
            at = at.plusMillis(500);
            assertThat(at).as("a limited run ends").isBefore(START.plus(Duration.ofMinutes(10)));
            for (SimulatedMessage m : limited.advanceTo(at)) {
                if (m.routingKey().equals("case.created")) {
                    created.add(read(m).get("caseId").asText());
                } else if (m.routingKey().equals("case.closed")) {
                    closed.add(read(m).get("caseId").asText());
                }
            }
        }
        assertThat(created).hasSize(30);
        assertThat(closed).isEqualTo(created);
        List<String> groups = limited.configuration().stream().filter(m -> m.routingKey().equals("configuration.group"))
                .map(m -> read(m).get("groupId").asText()).toList();
        assertThat(groups).allSatisfy(g -> assertThat(limited.figures(g)).extracting(ContactCenter.Figures::visitorsInQueue,
                ContactCenter.Figures::visitorsInConversation).containsExactly(0L, 0L));
    }

    @Test
    void theFirstCaseClosesASecondAfterTheStart() {
        ContactCenter realTime = new ContactCenter(realistic(42, 0, 1), START);
        List<String> firstSeconds = new ArrayList<>();
        realTime.advanceTo(START.plusSeconds(2)).forEach(m -> firstSeconds.add(m.routingKey()));
        assertThat(firstSeconds).as("in real time, a case under way when the simulation starts closes in its first 2 s").contains("case.closed");
    }

    private static Duration unscaled(Duration duration) {
        return Duration.ofMillis((long) (duration.toMillis() * TIME_SCALE));
    }

    private static String text(JsonNode message) {
        return message.path("message").asText();
    }

    static JsonNode read(SimulatedMessage m) {
        try {
            return JSON.readTree(m.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
