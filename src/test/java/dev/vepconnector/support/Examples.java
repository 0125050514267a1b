package dev.vepconnector.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The interface's example bodies, one per routing key (copied from the spec into test resources). */
public final class Examples {

    public static final List<String> EVENT_ROUTING_KEYS = List.of(
            "case.created", "case.opened", "case.closed", "case.transferred.toGroup", "case.visitorProfile",
            "case.transcriptClosed", "group.loadChanged", "group.performanceTimers", "configuration.agent",
            "configuration.group", "configuration.opportunity", "configuration.solution", "configuration.caseType");

    private Examples() {
    }

    /** The id of the entity the example is about (its caseId, groupId, agentId, ...). */
    public static String entityId(String routingKey) {
        try {
            var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body(routingKey));
            var type = dev.vepconnector.events.VepEventType.ofRoutingKey(routingKey).orElseThrow();
            return tree.get(type.idField()).asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String body(String routingKey) {
        try (InputStream in = Examples.class.getResourceAsStream("/vep-examples/" + routingKey + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no example for " + routingKey);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
