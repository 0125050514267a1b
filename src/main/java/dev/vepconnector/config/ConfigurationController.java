package dev.vepconnector.config;

import dev.vepconnector.events.EntityKind;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** {@code /api/config/{agents|groups|opportunities|solutions|case-types}[/{id}]} and the agent collect command. */
@RestController
@RequestMapping("/api/config")
class ConfigurationController {

    private final ConfigurationCaches caches;
    private final AgentCollectCommand collect;

    ConfigurationController(ConfigurationCaches caches, AgentCollectCommand collect) {
        this.caches = caches;
        this.collect = collect;
    }

    @GetMapping("/{kind}")
    List<ConfiguredEntity> list(@PathVariable String kind) {
        return caches.all(kindOf(kind));
    }

    @GetMapping("/{kind}/{id}")
    ConfiguredEntity one(@PathVariable String kind, @PathVariable String id) {
        return caches.find(kindOf(kind), id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No " + kind + " with id " + id + " is configured"));
    }

    @PostMapping("/agents/collect")
    ResponseEntity<Map<String, String>> collectAgents() {
        try {
            collect.publish();
        } catch (RuntimeException e) {
            throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "The broker did not take the command: " + e.getMessage(), e);
        }
        return ResponseEntity.accepted().body(Map.of("command", dev.vepconnector.events.VepEventType.AGENT_COLLECT_COMMAND,
                "status", "published; VEP answers with one configuration.agent event per agent"));
    }

    private static EntityKind kindOf(String path) {
        return EntityKind.ofPath(path).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "Unknown configuration class " + path + "; one of agents, groups, opportunities, solutions, case-types"));
    }
}
