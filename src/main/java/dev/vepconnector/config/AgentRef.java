package dev.vepconnector.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** An agent as case records show it (case-record schema {@code agentRef}); unknown agents are {@code {"id": ...}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentRef(String id, String name, String displayName, String email, Map<String, String> externalIds,
                       List<String> assignedGroups) {

    public static AgentRef unknown(String id) {
        return new AgentRef(id, null, null, null, null, null);
    }
}
