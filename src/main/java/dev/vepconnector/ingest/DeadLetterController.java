package dev.vepconnector.ingest;

import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/dead-letters}: rejected messages, newest first, paged with {@code before}. */
@RestController
@RequestMapping("/api/dead-letters")
public class DeadLetterController {

    private final DeadLetterStore store;

    public DeadLetterController(DeadLetterStore store) {
        this.store = store;
    }

    @GetMapping
    public List<DeadLetterStore.DeadLetter> list(@RequestParam(defaultValue = "100") int limit,
                                                 @RequestParam(required = false) Long before) {
        return store.newest(Math.max(1, Math.min(limit, 1000)), before);
    }

    @GetMapping("/count")
    public java.util.Map<String, Long> count() {
        return java.util.Map.of("count", store.count());
    }
}
