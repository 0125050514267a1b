package dev.vepconnector.monitoring;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code /api/groups}: live queue state per group, its recent history, and a live feed of changes. */
@RestController
@RequestMapping("/api/groups")
class GroupController {

    private final GroupMonitor monitor;
    private final GroupHistory history;
    private final GroupFeed feed;

    GroupController(GroupMonitor monitor, GroupHistory history, GroupFeed feed) {
        this.monitor = monitor;
        this.history = history;
        this.feed = feed;
    }

    @GetMapping
    List<GroupView> groups() {
        return monitor.all();
    }

    @GetMapping("/{groupId}")
    GroupView group(@PathVariable String groupId) {
        return monitor.find(groupId).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No events seen for group " + groupId));
    }

    @GetMapping("/{groupId}/history")
    List<GroupHistory.Sample> history(@PathVariable String groupId) {
        return history.of(groupId);
    }

    @GetMapping(path = "/stream", produces = "text/event-stream")
    SseEmitter stream() {
        return feed.subscribe();
    }
}
