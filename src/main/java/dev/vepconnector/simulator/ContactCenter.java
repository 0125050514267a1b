package dev.vepconnector.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vepconnector.simulator.Dialogues.Dialogue;
import dev.vepconnector.simulator.Dialogues.Kind;
import dev.vepconnector.simulator.Dialogues.Line;
import dev.vepconnector.simulator.Dialogues.Topic;
import dev.vepconnector.simulator.SimulatedConfiguration.Agent;
import dev.vepconnector.simulator.SimulatedConfiguration.Entity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A contact center in real time ({@code vep.simulator.pacing: realistic}): visitors arrive in each
 * group's queue, wait until one of the group's agents has room (an agent takes one or two
 * conversations at a time) and talk with them for minutes, in scripted {@link Dialogues} that fit their
 * case type. Transfers, unresolved closes, reopens and missing transcripts follow the case mix. One
 * group is over-loaded now and then. {@code time-scale} shrinks every duration alike.
 *
 * <p>The clock is the caller's: {@link #advanceTo} plays whatever falls due up to a moment and gives
 * the messages, each stamped with the moment it happened, so event times never lie in the future.
 * group.loadChanged and group.performanceTimers report the queues as they are, once a second per group
 * at most and without unchanged figures (interface 6.4, 6.5). It starts mid-morning: some conversations
 * are already under way (their events dated when they happened), so the first cases close in seconds.
 */
final class ContactCenter {

    /** VEP's throttling interval: wall-clock time, whatever the time scale. */
    static final Duration REPORT_INTERVAL = Duration.ofSeconds(1);
    /** VEP's average waiting time covers the last 15 minutes (interface 7.2.2). */
    static final Duration AVERAGE_WINDOW = Duration.ofMinutes(15);
    /**
     * Each group's share of its agents' capacity that visitors take, by position: Billing steady, Orders
     * busy, Technical support calm between surges, Returns quiet (then again for more groups).
     */
    private static final double[] LOAD = {0.55, 0.7, 0.45, 0.3};
    private static final int SURGING = 2;
    private static final double SURGE_LOAD = 1.5;

    private final SimulatorProperties properties;
    private final SimulatorProperties.Mix mix;
    private final SplittableRandom random;
    private final SimulatedConfiguration configuration;
    private final PriorityQueue<Action> agenda = new PriorityQueue<>();
    private final List<SimulatedMessage> out = new ArrayList<>();
    private final Map<String, Queue> queues = new LinkedHashMap<>();
    private final List<Staff> staff = new ArrayList<>();
    private final Map<String, Entity> caseTypes = new HashMap<>();
    private final double meanHandleSeconds;
    private Instant now;
    private long sequence;
    private long started;
    private int inProgress;

    /** When something happens; at one moment the queue reports come after the cases' steps, so they show them. */
    private record Action(Instant at, int phase, long sequence, Runnable step) implements Comparable<Action> {
        @Override
        public int compareTo(Action other) {
            return Comparator.comparing(Action::at).thenComparingInt(Action::phase).thenComparingLong(Action::sequence)
                    .compare(this, other);
        }
    }

    /** One group's queue as VEP would count it, and what was last reported of it. */
    private static final class Queue {
        final Entity group;
        final Topic topic;
        final double load;
        final boolean surges;
        boolean surging;
        final List<Staff> members = new ArrayList<>();
        final List<SimCase> waiting = new ArrayList<>();
        int inConversation;
        /** Waits that ended (answered) within {@link #AVERAGE_WINDOW}: when, and how long. */
        final Deque<long[]> recentWaits = new ArrayDeque<>();
        final Map<String, Long> reportedLoad = new HashMap<>();
        final Map<String, Long> reportedTimers = new HashMap<>();

        Queue(Entity group, Topic topic, double load, boolean surges) {
            this.group = group;
            this.topic = topic;
            this.load = load;
            this.surges = surges;
        }

        /** Conversations the group's agents can hold at once, an agent of two groups counting half in each. */
        double capacity() {
            return members.stream().mapToDouble(s -> (double) s.capacity / s.queues.size()).sum();
        }

        long available() {
            return members.stream().filter(Staff::hasRoom).count();
        }
    }

    private static final class Staff {
        final Agent agent;
        final int capacity;
        final List<Queue> queues = new ArrayList<>();
        /** Conversations, visitors being put through and wrap-ups. */
        int busy;

        Staff(Agent agent, int capacity) {
            this.agent = agent;
            this.capacity = capacity;
        }

        boolean hasRoom() {
            return busy < capacity;
        }
    }

    private enum Next { DECIDE, TRANSFER, CLOSE_RESOLVED, CLOSE_UNRESOLVED }

    private static final class SimCase {
        final String id;
        final String visitorId;
        final Topic topic;
        final Dialogue dialogue;
        final Entity caseType;
        final Map<String, String> values = new HashMap<>();
        final List<ObjectNode> transcript = new ArrayList<>();
        final Deque<Line> script = new ArrayDeque<>();
        Queue queue;
        Staff staff;
        Staff reservedBy;
        Instant waitingSince;
        Next next = Next.DECIDE;
        Queue transferTo;
        int transfers;
        boolean opened;
        boolean comingBack;
        boolean video;

        SimCase(String id, String visitorId, Topic topic, Dialogue dialogue, Entity caseType) {
            this.id = id;
            this.topic = topic;
            this.visitorId = visitorId;
            this.dialogue = dialogue;
            this.caseType = caseType;
        }
    }

    /** What a test can compare with the published figures of a group. */
    record Figures(long availableAgents, long visitorsInQueue, long visitorsInConversation, long longestWaitingMs,
                   long averageWaitingMs, long waitingForNoAgent) {
    }

    ContactCenter(SimulatorProperties properties, Instant start) {
        this.properties = properties;
        this.mix = properties.mix();
        this.random = new SplittableRandom(properties.seed());
        this.now = start;
        List<String> groupTopics = new ArrayList<>();
        for (int i = 0; i < properties.groups(); i++) {
            String caseType = Dialogues.of(SimulatedConfiguration.GROUPS[i % SimulatedConfiguration.GROUPS.length]).caseType();
            if (!groupTopics.contains(caseType)) {
                groupTopics.add(caseType);
            }
        }
        this.configuration = new SimulatedConfiguration(properties, groupTopics, random, () -> now);
        configuration.caseTypes.forEach(t -> caseTypes.put(t.name(), t));
        for (int i = 0; i < configuration.groups.size(); i++) {
            Entity group = configuration.groups.get(i);
            queues.put(group.id(), new Queue(group, Dialogues.of(group.name()), LOAD[i % LOAD.length], i % LOAD.length == SURGING));
        }
        for (int i = 0; i < configuration.agents.size(); i++) {
            Staff member = new Staff(configuration.agents.get(i), i % 3 == 2 ? 1 : 2);
            member.agent.groupIds().forEach(g -> {
                queues.get(g).members.add(member);
                member.queues.add(queues.get(g));
            });
            staff.add(member);
        }
        this.meanHandleSeconds = meanHandleSeconds();
        warmStart();
        for (Queue queue : queues.values()) {
            // VEP offers no conversation in a group without agents
            if (!queue.members.isEmpty()) {
                scheduleArrival(queue);
            }
            if (queue.surges) {
                at(now.plus(scaled(180 + random.nextInt(180))), () -> toggleSurge(queue));
            }
            report(queue, now);
        }
    }

    // --- what the publisher asks ------------------------------------------------------------------------

    List<SimulatedMessage> configuration() {
        return configuration.messages();
    }

    List<SimulatedMessage> agents() {
        return configuration.agentMessages();
    }

    /** When the next thing happens. */
    Instant nextDue() {
        return agenda.isEmpty() ? now.plus(REPORT_INTERVAL) : agenda.peek().at();
    }

    /** Plays everything due up to {@code moment}; the messages in the order they happened. */
    List<SimulatedMessage> advanceTo(Instant moment) {
        while (!agenda.isEmpty() && !agenda.peek().at().isAfter(moment)) {
            Action action = agenda.poll();
            now = action.at();
            action.step().run();
        }
        if (moment.isAfter(now)) {
            now = moment;
        }
        List<SimulatedMessage> due = new ArrayList<>(out);
        out.clear();
        return due;
    }

    /** True once {@code vep.simulator.cases} cases are over and the queues reported empty (never when it is 0). */
    boolean isFinished() {
        return properties.cases() > 0 && started >= properties.cases() && inProgress == 0
                && staff.stream().allMatch(s -> s.busy == 0)
                && queues.values().stream().allMatch(q -> loadFigures(q).equals(q.reportedLoad));
    }

    long casesStarted() {
        return started;
    }

    /** A group's figures now, as VEP would count them. */
    Figures figures(String groupId) {
        Queue queue = queues.get(groupId);
        return new Figures(queue.available(), queue.waiting.size(), queue.inConversation, longestWait(queue), averageWait(queue),
                queue.waiting.stream().filter(c -> c.reservedBy == null).count());
    }

    /** How many conversations an agent takes at once. */
    int capacityOf(String agentId) {
        return staff.stream().filter(s -> s.agent.id().equals(agentId)).findFirst().orElseThrow().capacity;
    }

    // --- visitors arriving -----------------------------------------------------------------------------

    private void scheduleArrival(Queue queue) {
        double load = (queue.surging ? SURGE_LOAD : queue.load) * properties.load();
        double perSecond = load * queue.capacity() / meanHandleSeconds;
        double seconds = -Math.log(1 - random.nextDouble()) / perSecond;
        at(now.plus(scaled(seconds)), () -> {
            if (mayStartCase()) {
                arrive(queue);
                scheduleArrival(queue);
            }
        });
    }

    private void toggleSurge(Queue queue) {
        queue.surging = !queue.surging;
        double minutes = queue.surging ? 3 + random.nextInt(3) : 12 + random.nextInt(9);
        at(now.plus(scaled(minutes * 60)), () -> toggleSurge(queue));
    }

    private boolean mayStartCase() {
        return properties.cases() == 0 || started < properties.cases();
    }

    private void arrive(Queue queue) {
        SimCase c = newCase(queue);
        emitCreated(c, now);
        if (random.nextDouble() < mix.visitorProfile()) {
            at(now.plus(scaled(1 + random.nextInt(4))), () -> emit("case.visitorProfile", profile(c, now)));
        }
        enqueue(c, queue, now);
        dispatch();
    }

    private SimCase newCase(Queue queue) {
        Dialogue dialogue = pick(queue.topic.dialogues());
        SimCase c = new SimCase(configuration.uuid(), configuration.uuid(), queue.topic, dialogue, caseTypes.get(queue.topic.caseType()));
        String first = pick(SimulatedConfiguration.FIRST);
        c.values.put("visitor", first);
        c.values.put("visitorLast", pick(SimulatedConfiguration.LAST));
        c.values.put("order", "A-" + (1000 + random.nextInt(9000)));
        c.values.put("invoice", "INV-2026-" + (10000 + random.nextInt(90000)));
        c.values.put("amount", (99 + random.nextInt(40) * 50) + " kr");
        c.values.put("day", pick(new String[] {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}));
        c.values.put("product", pick(new String[] {"wool jumper", "rain jacket", "desk lamp", "coffee grinder", "backpack"}));
        c.values.put("card", "4111 1111 1111 1111");
        c.queue = queue;
        started++;
        inProgress++;
        return c;
    }

    private void emitCreated(SimCase c, Instant at) {
        ObjectNode body = caseEvent(c, at);
        body.put("opportunityId", pick(configuration.opportunities).id());
        body.put("solutionId", pick(configuration.solutions).id());
        body.put("caseTypeId", c.caseType.id());
        emit("case.created", body);
    }

    private ObjectNode profile(SimCase c, Instant at) {
        ObjectNode body = caseEvent(c, at);
        ObjectNode profile = body.putObject("profile");
        String first = c.values.get("visitor");
        String last = c.values.get("visitorLast");
        profile.put("name", first + " " + last);
        profile.put("email", ascii(first + "." + last) + random.nextInt(1000) + "@example.com");
        profile.put("orderNo", c.values.get("order"));
        return body;
    }

    private static String ascii(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replace("å", "a").replace("ä", "a").replace("ö", "o");
    }

    private void enqueue(SimCase c, Queue queue, Instant since) {
        c.queue = queue;
        c.waitingSince = since;
        queue.waiting.add(c);
    }

    // --- agents taking visitors --------------------------------------------------------------------------

    /**
     * Puts waiting visitors through to agents with room, the least busy agent first, each taking the
     * longest-waiting visitor of their first group, else of their other one (so a surge elsewhere does
     * not empty their own queue of agents). The agent is taken at once; the conversation opens a few
     * seconds later, when they accept. Afterwards no agent with room has a visitor waiting for them.
     */
    private void dispatch() {
        boolean putThrough = true;
        while (putThrough) {
            putThrough = false;
            for (Staff agent : staff.stream().filter(Staff::hasRoom).sorted(Comparator.comparingInt((Staff s) -> s.busy)).toList()) {
                SimCase next = agent.queues.stream()
                        .flatMap(q -> q.waiting.stream().filter(c -> c.reservedBy == null).limit(1))
                        .findFirst().orElse(null);
                if (next != null) {
                    agent.busy++;
                    next.reservedBy = agent;
                    at(now.plus(scaled(2 + random.nextInt(7))), () -> open(next));
                    putThrough = true;
                }
            }
        }
    }

    private void open(SimCase c) {
        Queue queue = c.queue;
        queue.waiting.remove(c);
        recordWait(queue, now, now.toEpochMilli() - c.waitingSince.toEpochMilli());
        c.staff = c.reservedBy;
        c.reservedBy = null;
        queue.inConversation++;
        emitOpened(c, now);
        if (!c.opened) {
            c.transcript.add(transcriptMessage(c, now, Kind.AGENT, "title").put("message", c.dialogue.title()));
            c.opened = true;
            c.script.addAll(c.dialogue.opening());
        } else if (c.comingBack) {
            c.comingBack = false;
            c.script.addAll(c.topic.comeBack());
        } else {
            c.values.put("agent", c.staff.agent.displayName());
            c.values.put("group", queue.group.name());
            c.script.addAll(c.topic.takeOver());
        }
        c.next = Next.DECIDE;
        sayNext(c);
    }

    private void emitOpened(SimCase c, Instant at) {
        ObjectNode body = caseEvent(c, at);
        body.put("agentId", c.staff.agent.id());
        body.put("groupId", c.queue.group.id());
        emit("case.opened", body);
    }

    // --- the conversation -----------------------------------------------------------------------------

    /** Schedules the next line after the time it takes to type it (and to look things up). */
    private void sayNext(SimCase c) {
        Line line = c.script.peekFirst();
        double seconds = line == null ? 3 + random.nextInt(6) : secondsBefore(line) * (0.6 + random.nextDouble());
        at(now.plus(scaled(seconds)), () -> {
            if (c.script.isEmpty()) {
                endOfScript(c);
            } else {
                say(c, c.script.removeFirst(), now);
                sayNext(c);
            }
        });
    }

    /** A visitor types about 3 characters a second, an agent faster; looking something up takes a while. */
    private static double secondsBefore(Line line) {
        int length = line.text().length();
        return switch (line.kind()) {
            case VISITOR -> 5 + length * 0.3;
            case AGENT -> 4 + length * 0.12 + (line.text().contains("check") || line.text().contains("look") ? 25 : 0);
            case NOTE -> 8 + length * 0.1;
            default -> 3;
        };
    }

    private void say(SimCase c, Line line, Instant at) {
        String text = Dialogues.fill(line.text(), c.values);
        switch (line.kind()) {
            case VISITOR -> c.transcript.add(transcriptMessage(c, at, Kind.VISITOR, "chat").put("message", text));
            case AGENT -> c.transcript.add(transcriptMessage(c, at, Kind.AGENT, "chat").put("message", text));
            case NOTE -> c.transcript.add(transcriptMessage(c, at, Kind.NOTE, "note").put("message", text));
            case NAVIGATION -> c.transcript.add(transcriptMessage(c, at, Kind.AGENT, "navigation").put("url", text));
            case LINK -> {
                String[] link = text.split(" \\| ", 2);
                c.transcript.add(transcriptMessage(c, at, Kind.AGENT, "link").put("title", link[0]).put("url", link[1]));
            }
            case VIDEO -> {
                c.video = text.equals("start");
                c.transcript.add(transcriptMessage(c, at, text.equals("start") ? Kind.AGENT : Kind.VISITOR, "video").put("activity", text));
            }
        }
    }

    private void endOfScript(SimCase c) {
        switch (c.next) {
            case DECIDE -> decide(c);
            case TRANSFER -> transfer(c);
            case CLOSE_RESOLVED -> close(c, false);
            case CLOSE_UNRESOLVED -> close(c, true);
        }
    }

    /** After the opening (or a take-over, or a visitor's return): hand over, resolve, or leave it open. */
    private void decide(SimCase c) {
        List<Queue> others = queues.values().stream().filter(q -> q != c.queue && !q.members.isEmpty()).toList();
        if (c.transfers < 2 && !others.isEmpty() && random.nextDouble() < mix.transfer()) {
            Queue to = pick(others);
            c.transferTo = to;
            c.values.put("group", to.group.name());
            if (c.video) {
                c.script.add(new Line(Kind.VIDEO, "stop"));
            }
            c.script.addAll(c.topic.handOver());
            c.next = Next.TRANSFER;
        } else if (random.nextDouble() < mix.unresolved()) {
            c.script.addAll(c.dialogue.unresolved());
            c.next = Next.CLOSE_UNRESOLVED;
        } else {
            c.script.addAll(c.dialogue.resolution());
            c.next = Next.CLOSE_RESOLVED;
        }
        sayNext(c);
    }

    private void transfer(SimCase c) {
        Queue from = c.queue;
        ObjectNode body = caseEvent(c, now);
        body.put("previousAgentId", c.staff.agent.id());
        body.put("previousGroupId", from.group.id());
        body.put("newGroupId", c.transferTo.group.id());
        emit("case.transferred.toGroup", body);
        c.transfers++;
        endConversation(c, false);
        enqueue(c, c.transferTo, now);
        dispatch();
    }

    private void close(SimCase c, boolean unresolved) {
        String outcome = unresolved ? "unresolved" : pick(new String[] {"positive", "positive", "neutral", "negative"});
        ObjectNode closed = caseEvent(c, now);
        closed.put("outcome", outcome);
        closed.put("closure", unresolved ? "Visitor will come back with the details" : c.dialogue.closure());
        ObjectNode transcript = caseEvent(c, now);
        ArrayNode messages = transcript.putObject("transcript").putArray("messages");
        c.transcript.forEach(messages::add);
        c.transcript.clear();
        ClosingOrder.publish(closed, transcript, random.nextDouble(), mix, this::emit);
        endConversation(c, true);
        if (unresolved && random.nextDouble() < mix.reopen()) {
            c.comingBack = true;
            Queue queue = c.queue;
            at(now.plus(scaled(120 + random.nextInt(480))), () -> {
                enqueue(c, queue, now);
                dispatch();
            });
        } else {
            inProgress--;
        }
    }

    /** The agent has room again once they have wrapped up (a little longer after a close). */
    private void endConversation(SimCase c, boolean closed) {
        c.queue.inConversation--;
        Staff agent = c.staff;
        c.staff = null;
        at(now.plus(scaled(closed ? 5 + random.nextInt(16) : 1 + random.nextInt(3))), () -> {
            agent.busy--;
            if (random.nextDouble() < mix.unknownType()) {
                ObjectNode body = SimulatedConfiguration.event(now).put("agentId", agent.agent.id()).put("status", "available");
                out.add(SimulatedConfiguration.message("agent.statusChanged", body));
            }
            dispatch();
        });
    }

    // --- the morning so far ------------------------------------------------------------------------------

    /**
     * Conversations already under way when the simulation starts: roughly as many as the groups' load
     * keeps busy, the k-th with k lines still to go, so the first closes a second after the start and
     * others follow.
     * Their events so far are published at once, dated when they happened.
     */
    private void warmStart() {
        Instant start = now;
        List<SimCase> underWay = new ArrayList<>();
        for (Staff member : staff) {
            Queue queue = member.queues.get(0);
            if (mayStartCase() && random.nextDouble() < queue.load) {
                SimCase c = newCase(queue);
                c.staff = member;
                member.busy++;
                underWay.add(c);
            }
        }
        for (int k = 0; k < underWay.size(); k++) {
            SimCase c = underWay.get(k);
            boolean unresolved = random.nextDouble() < mix.unresolved();
            List<Line> lines = new ArrayList<>(c.dialogue.opening());
            lines.addAll(unresolved ? c.dialogue.unresolved() : c.dialogue.resolution());
            int said = Math.max(0, lines.size() - k);
            Instant[] times = new Instant[said];
            Instant t = start;
            for (int i = said - 1; i >= 0; i--) {
                t = t.minus(scaled(secondsBefore(lines.get(i))));
                times[i] = t;
            }
            Instant openedAt = t.minus(scaled(3));
            Instant createdAt = openedAt.minus(scaled(5 + random.nextInt(40)));
            emitCreated(c, createdAt);
            c.queue.inConversation++;
            emitOpened(c, openedAt);
            c.transcript.add(transcriptMessage(c, openedAt, Kind.AGENT, "title").put("message", c.dialogue.title()));
            c.opened = true;
            recordWait(c.queue, openedAt, openedAt.toEpochMilli() - createdAt.toEpochMilli());
            for (int i = 0; i < said; i++) {
                say(c, lines.get(i), times[i]);
            }
            c.script.addAll(lines.subList(said, lines.size()));
            c.next = unresolved ? Next.CLOSE_UNRESOLVED : Next.CLOSE_RESOLVED;
            if (c.script.isEmpty()) {
                at(now.plus(scaled(1)), () -> endOfScript(c));
            } else {
                sayNext(c);
            }
        }
    }

    private static void recordWait(Queue queue, Instant endedAt, long waitMs) {
        queue.recentWaits.addLast(new long[] {endedAt.toEpochMilli(), Math.max(0, waitMs)});
    }

    // --- queue events: throttled (6.5) and partially deduplicated (6.4) ---------------------------------

    /** Once a second per group: the load when it changed, the timers while anyone waits or talks. */
    private void report(Queue queue, Instant at) {
        agenda.add(new Action(at, 1, sequence++, () -> {
            publishChanged("group.loadChanged", queue, loadFigures(queue), queue.reportedLoad);
            if (!queue.waiting.isEmpty() || queue.inConversation > 0) {
                publishChanged("group.performanceTimers", queue,
                        Map.of("averageWaitingTime", averageWait(queue), "longestWaitingTime", longestWait(queue)), queue.reportedTimers);
            }
            report(queue, now.plus(REPORT_INTERVAL));
        }));
    }

    private static Map<String, Long> loadFigures(Queue queue) {
        return Map.of("numberOfAvailableAgents", queue.available(), "numberOfVisitorsInQueue", (long) queue.waiting.size(),
                "numberOfVisitorsInConversation", (long) queue.inConversation);
    }

    private long longestWait(Queue queue) {
        return queue.waiting.stream().mapToLong(c -> now.toEpochMilli() - c.waitingSince.toEpochMilli()).max().orElse(0);
    }

    private long averageWait(Queue queue) {
        long windowStart = now.toEpochMilli() - scaled(AVERAGE_WINDOW.toSeconds()).toMillis();
        while (!queue.recentWaits.isEmpty() && queue.recentWaits.peekFirst()[0] < windowStart) {
            queue.recentWaits.removeFirst();
        }
        return (long) queue.recentWaits.stream().mapToLong(w -> w[1]).average().orElse(0);
    }

    private void publishChanged(String routingKey, Queue queue, Map<String, Long> figures, Map<String, Long> reported) {
        ObjectNode body = SimulatedConfiguration.event(now);
        body.put("groupId", queue.group.id());
        boolean changed = false;
        for (String name : new TreeSet<>(figures.keySet())) {
            Long value = figures.get(name);
            if (!value.equals(reported.get(name))) {
                body.put(name, value);
                reported.put(name, value);
                changed = true;
            }
        }
        if (changed) {
            out.add(SimulatedConfiguration.message(routingKey, body));
        }
    }

    // --- building messages and time --------------------------------------------------------------------

    private ObjectNode caseEvent(SimCase c, Instant at) {
        return SimulatedConfiguration.event(at).put("caseId", c.id);
    }

    private void emit(String routingKey, ObjectNode body) {
        if (random.nextDouble() < mix.unknownProperty()) {
            body.putObject("vepTrace").put("node", "vep-" + random.nextInt(8)).put("version", "7.4");
        }
        out.add(SimulatedConfiguration.message(routingKey, body));
    }

    /**
     * A transcript message: the visitor's goes to the agent, the agent's to the visitor; a note is the
     * agent's alone, on the case, and goes to no one.
     */
    private ObjectNode transcriptMessage(SimCase c, Instant at, Kind speaker, String type) {
        ObjectNode message = SimulatedConfiguration.event(at);
        ObjectNode visitor = SimulatedConfiguration.object().put("visitorId", c.visitorId);
        ObjectNode agent = SimulatedConfiguration.object();
        Staff staff = c.staff != null ? c.staff : c.reservedBy;
        if (staff != null) {
            ObjectNode id = agent.putObject("agentId");
            id.put("id", staff.agent.id());
            id.putObject("externalIds").put("Salesforce", staff.agent.externalId());
        }
        message.set("speaker", speaker == Kind.VISITOR ? visitor : agent);
        ArrayNode recipients = message.putArray("recipients");
        if (speaker != Kind.NOTE) {
            recipients.add(speaker == Kind.VISITOR ? agent : visitor);
        }
        message.put("messageType", type);
        return message;
    }

    /** A duration of the contact center's day, as long as it lasts at the configured time scale. */
    private Duration scaled(double seconds) {
        return Duration.ofNanos(Math.max(1_000_000L, (long) (seconds * 1e9 / properties.timeScale())));
    }

    private void at(Instant moment, Runnable step) {
        agenda.add(new Action(moment, 0, sequence++, step));
    }

    /**
     * The agent time a case takes, from the dialogues' lines (typed at 1.1 times their base time on
     * average), the accept, the wait before a close and the wrap-up; a transfer adds a hand-over and a
     * take-over. What the arrival rates are set against.
     */
    private double meanHandleSeconds() {
        double conversation = queues.values().stream().flatMap(q -> q.topic.dialogues().stream())
                .mapToDouble(d -> 1.1 * (seconds(d.opening()) + seconds(d.resolution())) + 5 + 6 + 12.5)
                .average().orElse(180);
        double transfer = queues.values().stream().mapToDouble(q -> 1.1 * (seconds(q.topic.handOver()) + seconds(q.topic.takeOver())) + 5 + 2)
                .average().orElse(60);
        return conversation + mix.transfer() * transfer;
    }

    private static double seconds(List<Line> lines) {
        return lines.stream().mapToDouble(ContactCenter::secondsBefore).sum();
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private <T> T pick(T[] array) {
        return array[random.nextInt(array.length)];
    }
}
