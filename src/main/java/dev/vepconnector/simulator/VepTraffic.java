package dev.vepconnector.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vepconnector.simulator.SimulatedConfiguration.Agent;
import dev.vepconnector.simulator.SimulatedConfiguration.Entity;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * VEP's traffic, generated: the configuration, then case lifecycles interleaved with the queue events
 * they cause, as the interface describes them. Deterministic for a seed: in simulated time (the
 * default) the same seed gives the same bytes; in live time event times are the wall clock.
 */
public final class VepTraffic implements Iterator<SimulatedMessage> {

    static final Instant SIMULATED_START = Instant.parse("2026-11-23T08:00:00Z");
    private static final long THROTTLE_MS = 1000;
    private static final int RAMP_UP_STEPS = 3;

    private static final String[] CASE_TYPES = {"Orders", "Invoices", "Complaints", "Product questions", "Returns"};
    private static final String[][] CONVERSATIONS = {
            {"Hi, I need to change the delivery address of my order", "Of course, which order number is it?",
                    "It's A-1182", "Thanks, I have updated the address. Anything else?", "No, that was all, thank you!"},
            {"Hello, my invoice shows the wrong amount", "I'm sorry about that. Let me have a look at it",
                    "It says 1 299 kr but I paid 999 kr", "You're right, I'll send you a corrected invoice today"},
            {"Hej! Kan jag byta storlek på tröjan jag köpte?", "Absolut, vilken storlek vill du ha istället?",
                    "Medium, tack", "Klart! Du får ett mejl med returetiketten."},
            {"The app crashes when I open my account page", "Which version of the app are you using?",
                    "Version 5.2 on Android", "A fix is rolling out, please update within the hour. Grüße from support!"},
            {"Do you ship to Åland?", "Yes, delivery to Åland takes 3-5 working days", "Perfect, thanks 😊"}};
    private static final String[] NOTES = {"Customer asked for a callback tomorrow", "Escalate to second line if it happens again",
            "Offered 10% discount code", "Verified identity with order number"};
    private static final String[] URLS = {"https://shop.example/account/orders", "https://shop.example/checkout",
            "https://shop.example/help/returns", "https://shop.example/products/jumper-42"};

    private final SimulatorProperties properties;
    private final SimulatorProperties.Mix mix;
    private final SplittableRandom random;
    private final boolean live;
    private Instant simulatedNow = SIMULATED_START;

    private final SimulatedConfiguration configuration;
    private final List<Entity> groups;
    private final List<Agent> agents;
    private final List<Entity> opportunities;
    private final List<Entity> solutions;
    private final List<Entity> caseTypes;
    private final Map<String, Queue> queues = new LinkedHashMap<>();
    private final List<SimCase> active = new ArrayList<>();
    private final Deque<SimulatedMessage> pending = new ArrayDeque<>();
    private long started;
    /** Steps so far; while ramping up, a new case starts every {@link #RAMP_UP_STEPS} of them. */
    private long steps;
    private boolean rampedUp;

    /** One group's queue as VEP would count it, and what was last reported of it. */
    private static final class Queue {
        final Entity group;
        int agents;
        int inQueue;
        int inConversation;
        final Map<String, Integer> busyAgents = new HashMap<>();
        final Deque<Instant> waitingSince = new ArrayDeque<>();
        final Deque<Long> recentWaits = new ArrayDeque<>();
        final Map<String, Long> reportedLoad = new HashMap<>();
        final Map<String, Long> reportedTimers = new HashMap<>();
        Instant loadReportedAt = Instant.EPOCH;
        Instant timersReportedAt = Instant.EPOCH;

        Queue(Entity group) {
            this.group = group;
        }

        long available() {
            return Math.max(0, agents - busyAgents.size());
        }
    }

    private enum Step { CREATE, PROFILE, OPEN, TALK, CLOSE, REOPEN_WAIT, DONE }

    private static final class SimCase {
        final String id;
        final String visitorId;
        Step step = Step.CREATE;
        Queue queue;
        Agent agent;
        int transfers;
        int talkSteps;
        int waitSteps;
        boolean opened;
        final List<ObjectNode> transcript = new ArrayList<>();

        SimCase(String id, String visitorId) {
            this.id = id;
            this.visitorId = visitorId;
        }
    }

    private VepTraffic(SimulatorProperties properties, boolean live) {
        this.properties = properties;
        this.mix = properties.mix();
        this.random = new SplittableRandom(properties.seed());
        this.live = live;
        this.configuration = new SimulatedConfiguration(properties, List.of(CASE_TYPES).subList(0, 3), random, this::now);
        this.groups = configuration.groups;
        this.agents = configuration.agents;
        this.opportunities = configuration.opportunities;
        this.solutions = configuration.solutions;
        this.caseTypes = configuration.caseTypes;
        groups.forEach(group -> queues.put(group.id(), new Queue(group)));
        agents.forEach(agent -> agent.groupIds().forEach(g -> queues.get(g).agents++));
    }

    /** Traffic in simulated time: fully reproducible for a seed. */
    public static VepTraffic simulated(SimulatorProperties properties) {
        return new VepTraffic(properties, false);
    }

    /** Traffic with wall-clock event times, for publishing live. */
    public static VepTraffic live(SimulatorProperties properties) {
        return new VepTraffic(properties, true);
    }

    // --- configuration ----------------------------------------------------------------------------

    /** Every configured entity, as VEP sends them on subscription. */
    public List<SimulatedMessage> configuration() {
        return configuration.messages();
    }

    /** One configuration.agent event per agent: VEP's answer to configuration.agent.collect. */
    public List<SimulatedMessage> agents() {
        return configuration.agentMessages();
    }

    // --- the stream -------------------------------------------------------------------------------

    @Override
    public boolean hasNext() {
        return !pending.isEmpty() || !active.isEmpty() || properties.cases() == 0 || started < properties.cases();
    }

    @Override
    public SimulatedMessage next() {
        while (pending.isEmpty()) {
            if (!hasNext()) {
                throw new NoSuchElementException("all " + properties.cases() + " cases are simulated");
            }
            step();
        }
        return pending.removeFirst();
    }

    /** Cases started so far. */
    public long casesStarted() {
        return started;
    }

    private void step() {
        simulatedNow = simulatedNow.plusMillis(20 + random.nextInt(380));
        startCases();
        if (!active.isEmpty()) {
            SimCase simCase = active.get(random.nextInt(active.size()));
            advance(simCase);
            if (simCase.step == Step.DONE) {
                active.remove(simCase);
            }
        }
        if (random.nextDouble() < mix.unknownType()) {
            ObjectNode body = event();
            body.put("agentId", agents.get(random.nextInt(agents.size())).id());
            body.put("status", random.nextBoolean() ? "away" : "available");
            pending.add(message("agent.statusChanged", body));
        }
        reportQueues();
    }

    /**
     * Keeps concurrentCases in progress, once ramped up. At first cases start one every few steps, as a
     * contact center's morning does: with all of them started at once, each would advance a step in
     * concurrentCases and the first case record would take a hundred events (seconds of a demo).
     */
    private void startCases() {
        boolean rampingUp = !rampedUp && steps++ % RAMP_UP_STEPS != 0;
        while (!rampingUp && active.size() < properties.concurrentCases() && mayStartCase()) {
            active.add(new SimCase(configuration.uuid(), configuration.uuid()));
            started++;
            rampingUp = !rampedUp;
        }
        rampedUp = rampedUp || active.size() >= properties.concurrentCases() || !mayStartCase();
    }

    private boolean mayStartCase() {
        return properties.cases() == 0 || started < properties.cases();
    }

    private void advance(SimCase c) {
        switch (c.step) {
            case CREATE -> create(c);
            case PROFILE -> profile(c);
            case OPEN -> open(c);
            case TALK -> talk(c);
            case CLOSE -> close(c);
            case REOPEN_WAIT -> {
                if (--c.waitSteps <= 0) {
                    enqueue(c, c.queue);
                    c.step = Step.OPEN;
                }
            }
            default -> { }
        }
    }

    private void create(SimCase c) {
        ObjectNode body = caseEvent(c);
        body.put("opportunityId", pick(opportunities).id());
        body.put("solutionId", pick(solutions).id());
        body.put("caseTypeId", pick(caseTypes).id());
        emit("case.created", body);
        enqueue(c, queues.get(pick(groups).id()));
        c.step = random.nextDouble() < mix.visitorProfile() ? Step.PROFILE : Step.OPEN;
    }

    private void profile(SimCase c) {
        ObjectNode body = caseEvent(c);
        ObjectNode profile = body.putObject("profile");
        String first = SimulatedConfiguration.FIRST[random.nextInt(SimulatedConfiguration.FIRST.length)];
        profile.put("name", first + " " + SimulatedConfiguration.LAST[random.nextInt(SimulatedConfiguration.LAST.length)]);
        profile.put("email", first.toLowerCase(java.util.Locale.ROOT) + random.nextInt(1000) + "@example.org");
        profile.put("orderNo", "A-" + (1000 + random.nextInt(9000)));
        if (random.nextBoolean()) {
            profile.put("newsletter", random.nextBoolean());
        }
        emit("case.visitorProfile", body);
        c.step = Step.OPEN;
    }

    private void open(SimCase c) {
        Queue queue = c.queue;
        c.agent = agentOf(queue);
        queue.inQueue--;
        Instant since = queue.waitingSince.pollFirst();
        if (since != null) {
            queue.recentWaits.addLast(Math.max(0, now().toEpochMilli() - since.toEpochMilli()));
            if (queue.recentWaits.size() > 50) {
                queue.recentWaits.removeFirst();
            }
        }
        queue.inConversation++;
        queue.busyAgents.merge(c.agent.id(), 1, Integer::sum);
        ObjectNode body = caseEvent(c);
        body.put("agentId", c.agent.id());
        body.put("groupId", queue.group.id());
        emit("case.opened", body);
        if (!c.opened) {
            c.transcript.add(transcriptMessage(c, false, "title").put("message", "Conversation about " + pick(caseTypes).name()));
            c.opened = true;
        }
        c.talkSteps = 1 + random.nextInt(3);
        c.step = Step.TALK;
    }

    private void talk(SimCase c) {
        String[] conversation = CONVERSATIONS[random.nextInt(CONVERSATIONS.length)];
        for (int i = 0; i < conversation.length; i++) {
            c.transcript.add(transcriptMessage(c, i % 2 == 1, "chat").put("message", conversation[i]));
        }
        double extra = random.nextDouble();
        if (extra < 0.25) {
            c.transcript.add(transcriptMessage(c, true, "navigation").put("url", URLS[random.nextInt(URLS.length)]));
        } else if (extra < 0.45) {
            c.transcript.add(transcriptMessage(c, true, "link").put("title", "How returns work").put("url", URLS[2]));
        } else if (extra < 0.6) {
            c.transcript.add(transcriptMessage(c, true, "note").put("message", NOTES[random.nextInt(NOTES.length)]));
        } else if (extra < 0.7) {
            c.transcript.add(transcriptMessage(c, true, "video").put("activity", "start"));
            c.transcript.add(transcriptMessage(c, false, "video").put("activity", "stop"));
        } else if (extra < 0.7 + mix.unknownProperty()) {
            c.transcript.add(transcriptMessage(c, true, "cobrowseHighlight").put("selector", "#checkout-button"));
        }
        if (--c.talkSteps > 0) {
            return;
        }
        if (c.transfers < 2 && groups.size() > 1 && random.nextDouble() < mix.transfer()) {
            transfer(c);
        } else {
            c.step = Step.CLOSE;
        }
    }

    private void transfer(SimCase c) {
        Queue from = c.queue;
        Queue to = from;
        while (to == from) {
            to = queues.get(pick(groups).id());
        }
        endConversation(c);
        ObjectNode body = caseEvent(c);
        body.put("previousAgentId", c.agent.id());
        body.put("previousGroupId", from.group.id());
        body.put("newGroupId", to.group.id());
        emit("case.transferred.toGroup", body);
        c.transfers++;
        enqueue(c, to);
        c.step = Step.OPEN;
    }

    private void close(SimCase c) {
        endConversation(c);
        boolean unresolved = random.nextDouble() < mix.unresolved();
        String outcome = unresolved ? "unresolved" : new String[] {"positive", "positive", "neutral", "negative"}[random.nextInt(4)];
        ObjectNode closed = caseEvent(c);
        closed.put("outcome", outcome);
        closed.put("closure", unresolved ? "Visitor will come back with the receipt" : "Helped the visitor");
        ObjectNode transcript = caseEvent(c);
        ArrayNode messages = transcript.putObject("transcript").putArray("messages");
        c.transcript.forEach(messages::add);
        c.transcript.clear();
        ClosingOrder.publish(closed, transcript, random.nextDouble(), mix, this::emit);
        if (unresolved && random.nextDouble() < mix.reopen()) {
            c.waitSteps = 2 + random.nextInt(5);
            c.step = Step.REOPEN_WAIT;
        } else {
            c.step = Step.DONE;
        }
    }

    private void enqueue(SimCase c, Queue queue) {
        c.queue = queue;
        queue.inQueue++;
        queue.waitingSince.addLast(now());
    }

    private void endConversation(SimCase c) {
        Queue queue = c.queue;
        queue.inConversation--;
        queue.busyAgents.computeIfPresent(c.agent.id(), (id, n) -> n > 1 ? n - 1 : null);
    }

    private Agent agentOf(Queue queue) {
        List<Agent> members = agents.stream().filter(a -> a.groupIds().contains(queue.group.id())).toList();
        return members.isEmpty() ? pick(agents) : pick(members);
    }

    // --- queue events: throttled (6.5) and partially deduplicated (6.4) ---------------------------

    private void reportQueues() {
        Instant now = now();
        for (Queue queue : queues.values()) {
            if (now.toEpochMilli() - queue.loadReportedAt.toEpochMilli() >= THROTTLE_MS) {
                Map<String, Long> load = Map.of("numberOfAvailableAgents", queue.available(),
                        "numberOfVisitorsInQueue", (long) Math.max(0, queue.inQueue),
                        "numberOfVisitorsInConversation", (long) Math.max(0, queue.inConversation));
                if (report("group.loadChanged", queue, load, queue.reportedLoad)) {
                    queue.loadReportedAt = now;
                }
            }
            boolean busy = queue.inQueue > 0 || queue.inConversation > 0;
            if (busy && now.toEpochMilli() - queue.timersReportedAt.toEpochMilli() >= THROTTLE_MS) {
                long longest = queue.waitingSince.isEmpty() ? 0 : now.toEpochMilli() - queue.waitingSince.peekFirst().toEpochMilli();
                long average = (long) queue.recentWaits.stream().mapToLong(Long::longValue).average().orElse(0);
                report("group.performanceTimers", queue, Map.of("averageWaitingTime", average, "longestWaitingTime", longest),
                        queue.reportedTimers);
                queue.timersReportedAt = now;
            }
        }
    }

    /** Publishes the figures that changed since the last report; returns whether anything was published. */
    private boolean report(String routingKey, Queue queue, Map<String, Long> figures, Map<String, Long> reported) {
        ObjectNode body = event();
        body.put("groupId", queue.group.id());
        boolean changed = false;
        for (String name : new java.util.TreeSet<>(figures.keySet())) {
            Long value = figures.get(name);
            if (!value.equals(reported.get(name))) {
                body.put(name, value);
                reported.put(name, value);
                changed = true;
            }
        }
        if (changed) {
            pending.add(message(routingKey, body));
        }
        return changed;
    }

    // --- building messages --------------------------------------------------------------------------

    private ObjectNode caseEvent(SimCase c) {
        ObjectNode body = event();
        body.put("caseId", c.id);
        return body;
    }

    private void emit(String routingKey, ObjectNode body) {
        if (random.nextDouble() < mix.unknownProperty()) {
            body.putObject("vepTrace").put("node", "vep-" + random.nextInt(8)).put("version", "7.4");
        }
        pending.add(message(routingKey, body));
    }

    /** A transcript message said by the agent, or by the visitor when {@code byAgent} is false, to the other one. */
    private ObjectNode transcriptMessage(SimCase c, boolean byAgent, String type) {
        ObjectNode message = SimulatedConfiguration.object();
        message.put("eventTime", SimulatedConfiguration.time(now()));
        ObjectNode visitor = SimulatedConfiguration.object().put("visitorId", c.visitorId);
        ObjectNode agent = SimulatedConfiguration.object();
        if (c.agent != null) {
            ObjectNode id = agent.putObject("agentId");
            id.put("id", c.agent.id());
            id.putObject("externalIds").put("Salesforce", c.agent.externalId());
        }
        message.set("speaker", byAgent ? agent : visitor);
        message.putArray("recipients").add(byAgent ? visitor : agent);
        message.put("messageType", type);
        return message;
    }

    private ObjectNode event() {
        return SimulatedConfiguration.event(now());
    }

    private SimulatedMessage message(String routingKey, ObjectNode body) {
        return SimulatedConfiguration.message(routingKey, body);
    }

    private Instant now() {
        return live ? Instant.now() : simulatedNow;
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
