package dev.vepconnector.config;

import dev.vepconnector.events.EntityKind;

/**
 * Turns VEP ids into what is configured for them (interface 7.3), as the configuration caches know
 * it right now. Lookups are in-memory fast and never fail: an unknown id comes back as a reference
 * holding only the id. Case records resolve ids through this at emission time; monitoring names
 * groups through it.
 */
public interface EntityDirectory {

    /** Any entity; for {@link EntityKind#AGENT} the agent's extra attributes are left out (use {@link #agent}). */
    EntityRef ref(EntityKind kind, String id);

    AgentRef agent(String id);
}
