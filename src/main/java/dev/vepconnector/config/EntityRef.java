package dev.vepconnector.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A configured entity as case records and monitoring show it: its VEP id, and its name and external
 * ids once VEP has told the connector about it. An id the connector has not seen configured is
 * {@code {"id": ...}} alone.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EntityRef(String id, String name, Map<String, String> externalIds) {

    public static EntityRef unknown(String id) {
        return new EntityRef(id, null, null);
    }
}
