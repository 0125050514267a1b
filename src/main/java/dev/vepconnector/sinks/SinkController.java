package dev.vepconnector.sinks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** {@code /api/sinks}: the enabled sinks, their dead letters, replay, and backfills. */
@RestController
@RequestMapping("/api/sinks")
class SinkController {

    private final SinkDeliveries workers;
    private final SinkDeliveryStore store;
    private final SinkBackfills backfills;
    private final ObjectMapper json;
    private final Clock clock;

    SinkController(SinkDeliveries workers, SinkDeliveryStore store, SinkBackfills backfills, ObjectMapper json, Clock clock) {
        this.workers = workers;
        this.store = store;
        this.backfills = backfills;
        this.json = json;
        this.clock = clock;
    }

    @GetMapping
    List<SinkDeliveries.SinkStatus> sinks() {
        return workers.status();
    }

    @GetMapping("/{sink}/dead-letters")
    List<SinkDeliveryStore.DeadDelivery> deadLetters(@PathVariable String sink, @RequestParam(defaultValue = "100") int limit) {
        return store.deadLetters(enabled(sink), Math.max(1, Math.min(limit, 1000)));
    }

    /** Replays every dead letter of the sink. */
    @PostMapping("/{sink}/dead-letters/replay")
    Map<String, Integer> replayAll(@PathVariable String sink) {
        return replayed(sink, store.replay(enabled(sink), null, clock.instant()));
    }

    @PostMapping("/{sink}/dead-letters/{id}/replay")
    Map<String, Integer> replayOne(@PathVariable String sink, @PathVariable long id) {
        int count = store.replay(enabled(sink), id, clock.instant());
        if (count == 0) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No dead letter " + id + " for sink " + sink);
        }
        return replayed(sink, count);
    }

    /**
     * Queues the stored records emitted in the body's range ({@code {"from": "...", "to": "..."}}, ISO-8601; from
     * inclusive, to exclusive) for the sink again: 202 with the new backfill, or 200 with the identical one still
     * running (nothing is queued twice).
     */
    @PostMapping("/{sink}/backfill")
    ResponseEntity<SinkBackfills.BackfillView> backfill(@PathVariable String sink, @RequestBody(required = false) String body) {
        String name = enabled(sink);
        BackfillRange range = BackfillRange.parse(json, body);
        SinkBackfills.Started started = backfills.start(name, range.from(), range.to());
        return ResponseEntity.status(started.created() ? HttpStatus.ACCEPTED : HttpStatus.OK)
                .location(URI.create("/api/sinks/" + name + "/backfills/" + started.backfill().id())).body(started.backfill());
    }

    @GetMapping("/{sink}/backfills")
    List<SinkBackfills.BackfillView> backfills(@PathVariable String sink, @RequestParam(defaultValue = "20") int limit) {
        return backfills.list(enabled(sink), Math.max(1, Math.min(limit, 200)));
    }

    @GetMapping("/{sink}/backfills/{id}")
    SinkBackfills.BackfillView backfill(@PathVariable String sink, @PathVariable long id) {
        return backfills.find(enabled(sink), id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No backfill " + id + " of sink " + sink));
    }

    private Map<String, Integer> replayed(String sink, int count) {
        workers.wake(List.of(sink));
        return Map.of("replayed", count);
    }

    private String enabled(String sink) {
        if (!workers.sinkNames().contains(sink)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No enabled sink named " + sink + "; enabled: " + workers.sinkNames());
        }
        return sink;
    }
}
