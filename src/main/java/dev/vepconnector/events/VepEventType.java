package dev.vepconnector.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every message class of the VEP integration interface, keyed by its AMQP routing key.
 * {@code idField} names the property that identifies the entity the event is about.
 */
public enum VepEventType {
    CASE_CREATED("case.created", "caseId", CaseCreated.class),
    CASE_OPENED("case.opened", "caseId", CaseOpened.class),
    CASE_CLOSED("case.closed", "caseId", CaseClosed.class),
    CASE_TRANSFERRED_TO_GROUP("case.transferred.toGroup", "caseId", CaseTransferredToGroup.class),
    CASE_VISITOR_PROFILE("case.visitorProfile", "caseId", CaseVisitorProfile.class),
    CASE_TRANSCRIPT_CLOSED("case.transcriptClosed", "caseId", CaseTranscriptClosed.class),
    GROUP_LOAD_CHANGED("group.loadChanged", "groupId", GroupLoadChanged.class),
    GROUP_PERFORMANCE_TIMERS("group.performanceTimers", "groupId", GroupPerformanceTimers.class),
    CONFIGURATION_AGENT("configuration.agent", "agentId", ConfigurationAgent.class),
    CONFIGURATION_GROUP("configuration.group", "groupId", ConfigurationGroup.class),
    CONFIGURATION_OPPORTUNITY("configuration.opportunity", "opportunityId", ConfigurationOpportunity.class),
    CONFIGURATION_SOLUTION("configuration.solution", "solutionId", ConfigurationSolution.class),
    CONFIGURATION_CASE_TYPE("configuration.caseType", "caseTypeId", ConfigurationCaseType.class);

    /** The one command the Partner System publishes (to the integration exchange); never consumed. */
    public static final String AGENT_COLLECT_COMMAND = "configuration.agent.collect";

    private static final Map<String, VepEventType> BY_ROUTING_KEY = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(VepEventType::routingKey, Function.identity()));

    private final String routingKey;
    private final String idField;
    private final Class<? extends VepEvent> eventClass;

    VepEventType(String routingKey, String idField, Class<? extends VepEvent> eventClass) {
        this.routingKey = routingKey;
        this.idField = idField;
        this.eventClass = eventClass;
    }

    public static Optional<VepEventType> ofRoutingKey(String routingKey) {
        return Optional.ofNullable(routingKey == null ? null : BY_ROUTING_KEY.get(routingKey));
    }

    public String routingKey() {
        return routingKey;
    }

    public String idField() {
        return idField;
    }

    public Class<? extends VepEvent> eventClass() {
        return eventClass;
    }

    public boolean isCaseEvent() {
        return routingKey.startsWith("case.");
    }

    public boolean isGroupEvent() {
        return routingKey.startsWith("group.");
    }

    public boolean isConfigurationEvent() {
        return routingKey.startsWith("configuration.");
    }

    /** The routing keys of every case event type. */
    public static java.util.List<String> caseRoutingKeys() {
        return java.util.Arrays.stream(values()).filter(VepEventType::isCaseEvent).map(VepEventType::routingKey).toList();
    }

    @Override
    public String toString() {
        return routingKey;
    }
}
