package dev.vepconnector.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vepconnector.events.ConfigurationAgent;
import dev.vepconnector.events.ConfigurationEvent;
import dev.vepconnector.events.EntityKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the connector knows of one configured entity: the merge of every configuration event for it.
 * Agent-only attributes (display name, email, assigned groups) stay null for other kinds.
 *
 * @param lastEventTime the newest eventTime merged in
 * @param updatedAt     when the connector last changed this entry
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConfiguredEntity(@JsonIgnore EntityKind kind, String id, String name, String displayName, String email,
                               List<String> assignedGroups, Map<String, String> externalIds,
                               Instant lastEventTime, Instant updatedAt) {

    public static ConfiguredEntity empty(EntityKind kind, String id) {
        return new ConfiguredEntity(kind, id, null, null, null, null, null, null, null);
    }

    /**
     * This entry with the attributes the event carries (interface 6.4: an absent attribute is
     * unchanged; a present one replaces, an empty external-id map included).
     */
    public ConfiguredEntity merge(ConfigurationEvent event) {
        String mergedName = orKept(event.name(), name);
        Map<String, String> mergedIds = event.externalIds() == null ? externalIds : Map.copyOf(event.externalIds());
        Instant newest = lastEventTime == null || event.eventTime().isAfter(lastEventTime) ? event.eventTime() : lastEventTime;
        if (event instanceof ConfigurationAgent agent) {
            return new ConfiguredEntity(kind, id, mergedName, orKept(agent.agentDisplayName(), displayName),
                    orKept(agent.agentEmail(), email),
                    agent.agentAssignedGroups() == null ? assignedGroups : List.copyOf(agent.agentAssignedGroups()),
                    mergedIds, newest, updatedAt);
        }
        return new ConfiguredEntity(kind, id, mergedName, displayName, email, assignedGroups, mergedIds, newest, updatedAt);
    }

    ConfiguredEntity updatedAt(Instant when) {
        return new ConfiguredEntity(kind, id, name, displayName, email, assignedGroups, externalIds, lastEventTime, when);
    }

    /** Whether the configured attributes (not the bookkeeping times) are the same. */
    boolean sameAttributes(ConfiguredEntity other) {
        return java.util.Objects.equals(name, other.name) && java.util.Objects.equals(displayName, other.displayName)
                && java.util.Objects.equals(email, other.email) && java.util.Objects.equals(assignedGroups, other.assignedGroups)
                && java.util.Objects.equals(externalIds, other.externalIds)
                && java.util.Objects.equals(lastEventTime, other.lastEventTime);
    }

    EntityRef toRef() {
        return new EntityRef(id, name, externalIds);
    }

    AgentRef toAgentRef() {
        return new AgentRef(id, name, displayName, email, externalIds, assignedGroups);
    }

    private static <T> T orKept(T update, T kept) {
        return update == null ? kept : update;
    }
}
