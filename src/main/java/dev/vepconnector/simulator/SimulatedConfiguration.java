package dev.vepconnector.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What VEP has configured in the simulated contact center (groups, agents, opportunities, solutions,
 * case types), and the configuration events that describe it. Both pacings share it, so an agent or a
 * group looks the same whichever drives the traffic.
 */
final class SimulatedConfiguration {

    static final String[] FIRST = {"Ada", "Bo", "Cecilia", "David", "Elin", "Farid", "Greta", "Hugo", "Ines", "Jonas",
            "Karin", "Lukas", "Maja", "Nils", "Olivia", "Pavel", "Rut", "Sami", "Tove", "Ulf"};
    static final String[] LAST = {"Berg", "Lind", "Holm", "Ek", "Nyström", "Åkesson", "Karlsson", "Dahl", "Sjöberg", "Wik"};
    static final String[] GROUPS = {"Billing", "Orders", "Technical support", "Returns", "Sales", "Premium", "Delivery",
            "Accounts"};
    private static final String[] OPPORTUNITIES = {"Checkout help", "Cart abandonment", "Pricing page", "Help centre search"};
    private static final String[] SOLUTIONS = {"Chat offer", "Video advice", "Callback offer", "Proactive chat"};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    record Entity(String id, String name, String externalId) {
    }

    record Agent(String id, String name, String displayName, String email, List<String> groupIds, String externalId) {
    }

    private final SplittableRandom random;
    private final Supplier<Instant> clock;
    final List<Entity> groups = new ArrayList<>();
    final List<Agent> agents = new ArrayList<>();
    final List<Entity> opportunities = new ArrayList<>();
    final List<Entity> solutions = new ArrayList<>();
    final List<Entity> caseTypes = new ArrayList<>();

    /**
     * Draws its ids from {@code random}, which the traffic goes on using: the same seed gives the same
     * configuration and the same traffic after it.
     */
    SimulatedConfiguration(SimulatorProperties properties, List<String> caseTypeNames, SplittableRandom random, Supplier<Instant> clock) {
        this.random = random;
        this.clock = clock;
        for (int i = 0; i < properties.groups(); i++) {
            groups.add(new Entity(uuid(), GROUPS[i % GROUPS.length] + suffix(i, GROUPS.length), "00G5g0000" + String.format("%06d", i)));
        }
        for (int i = 0; i < properties.agents(); i++) {
            agents.add(agent(i));
        }
        for (int i = 0; i < Math.max(3, caseTypeNames.size()); i++) {
            if (i < 3) {
                opportunities.add(new Entity(uuid(), OPPORTUNITIES[i % OPPORTUNITIES.length], i == 0 ? null : "a0B5g0000" + i));
                solutions.add(new Entity(uuid(), SOLUTIONS[i % SOLUTIONS.length], null));
            }
            if (i < caseTypeNames.size()) {
                caseTypes.add(new Entity(uuid(), caseTypeNames.get(i), caseTypeNames.get(i)));
            }
        }
    }

    private Agent agent(int i) {
        String first = FIRST[i % FIRST.length];
        String last = LAST[(i / FIRST.length + i) % LAST.length];
        List<String> assigned = new ArrayList<>();
        assigned.add(groups.get(i % groups.size()).id());
        if (groups.size() > 1 && random.nextDouble() < 0.3) {
            assigned.add(groups.get((i + 1) % groups.size()).id());
        }
        return new Agent(uuid(), first + " " + last + suffix(i, FIRST.length * LAST.length), first,
                (first + "." + last + i + "@example.com").toLowerCase(Locale.ROOT).replace("å", "a").replace("ä", "a").replace("ö", "o"),
                assigned, "0055g0000" + String.format("%06d", i));
    }

    private static String suffix(int i, int names) {
        return i < names ? "" : " " + (i / names + 1);
    }

    /** Every configured entity, as VEP sends them on subscription. */
    List<SimulatedMessage> messages() {
        List<SimulatedMessage> messages = new ArrayList<>();
        for (Entity group : groups) {
            messages.add(configured("configuration.group", "group", group));
        }
        messages.addAll(agentMessages());
        for (Entity e : opportunities) {
            messages.add(configured("configuration.opportunity", "opportunity", e));
        }
        for (Entity e : solutions) {
            messages.add(configured("configuration.solution", "solution", e));
        }
        for (Entity e : caseTypes) {
            messages.add(configured("configuration.caseType", "caseType", e));
        }
        return messages;
    }

    /** One configuration.agent event per agent: VEP's answer to configuration.agent.collect. */
    List<SimulatedMessage> agentMessages() {
        List<SimulatedMessage> messages = new ArrayList<>();
        for (Agent agent : agents) {
            ObjectNode body = event(clock.get());
            body.put("agentId", agent.id());
            body.put("agentEmail", agent.email());
            body.put("agentName", agent.name());
            body.put("agentDisplayName", agent.displayName());
            ArrayNode assigned = body.putArray("agentAssignedGroups");
            agent.groupIds().forEach(assigned::add);
            body.putObject("agentExternalId").put("Salesforce", agent.externalId());
            messages.add(message("configuration.agent", body));
        }
        return messages;
    }

    private SimulatedMessage configured(String routingKey, String prefix, Entity entity) {
        ObjectNode body = event(clock.get());
        body.put(prefix + "Id", entity.id());
        body.put(prefix + "Name", entity.name());
        ObjectNode external = body.putObject(prefix + "ExternalId");
        if (entity.externalId() != null) {
            external.put("Salesforce", entity.externalId());
        }
        return message(routingKey, body);
    }

    /** A VEP identifier: a random (version 4) UUID drawn from the seeded random. */
    String uuid() {
        return new UUID((random.nextLong() & ~0xF000L) | 0x4000L, (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
    }

    static ObjectNode event(Instant at) {
        return JSON.createObjectNode().put("eventTime", time(at));
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static String time(Instant at) {
        return TIME.format(at);
    }

    static SimulatedMessage message(String routingKey, ObjectNode body) {
        try {
            return new SimulatedMessage(routingKey, JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
