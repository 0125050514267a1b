package dev.vepconnector.events;

import java.util.Map;

/**
 * A configured entity: its VEP id mapped to a name and to ids in external systems
 * ({@code {"Salesforce": "0055g..."}}). A null name or external-id map means "not in this event".
 */
public sealed interface ConfigurationEvent extends VepEvent
        permits ConfigurationAgent, ConfigurationGroup, ConfigurationOpportunity, ConfigurationSolution, ConfigurationCaseType {

    String name();

    Map<String, String> externalIds();

    EntityKind kind();
}
