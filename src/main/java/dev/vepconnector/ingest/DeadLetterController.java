package dev.vepconnector.ingest;

import dev.vepconnector.api.ApiError;
import dev.vepconnector.events.RejectReason;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code /api/dead-letters}: rejected messages, newest first, paged with {@code before}; and their
 * replay (admin), which processes them again as if they had just arrived.
 */
@RestController
@RequestMapping("/api/dead-letters")
public class DeadLetterController {

    private final DeadLetterStore store;
    private final DeadLetterReplay replay;

    DeadLetterController(DeadLetterStore store, DeadLetterReplay replay) {
        this.store = store;
        this.replay = replay;
    }

    @GetMapping
    public List<DeadLetterStore.DeadLetter> list(@RequestParam(defaultValue = "100") int limit,
                                                 @RequestParam(required = false) Long before) {
        return store.newest(Math.max(1, Math.min(limit, 1000)), before);
    }

    @GetMapping("/count")
    public Map<String, Long> count() {
        return Map.of("count", store.count());
    }

    @PostMapping("/{id}/replay")
    public Map<String, Integer> replayOne(@PathVariable long id, Principal admin) {
        if (!replay.replayOne(id, name(admin))) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND,
                    "No dead letter " + id + ": it was replayed already, or never existed (GET /api/dead-letters lists them)");
        }
        return Map.of("replayed", 1);
    }

    /** Every dead letter of the reason code ({@code processing-error}, {@code missing-field}, ...); all of them without one. */
    @PostMapping("/replay")
    public Map<String, Integer> replayAll(@RequestParam(required = false) String reason, Principal admin) {
        return Map.of("replayed", replay.replayAll(reasonOf(reason), name(admin)));
    }

    private static RejectReason reasonOf(String code) {
        if (code == null || code.isBlank()) {
            return null;
        }
        return RejectReason.ofCode(code.strip()).orElseThrow(() -> new ResponseStatusException(HttpStatus.BAD_REQUEST,
                "No reason code '" + code + "'; the codes are " + Arrays.stream(RejectReason.values()).map(RejectReason::code).toList()));
    }

    private static String name(Principal admin) {
        return admin == null ? "(anonymous)" : admin.getName();
    }

    /** A replay that stopped part way says how far it got and what to do (other refusals: {@code ApiErrorAdvice}). */
    @ExceptionHandler(DeadLetterReplay.ReplayStoppedException.class)
    ResponseEntity<Map<String, Object>> stopped(DeadLetterReplay.ReplayStoppedException e, HttpServletRequest request) {
        HttpStatus status = e.databaseUnavailable() ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.INTERNAL_SERVER_ERROR;
        return error(status, "The replay stopped after " + e.replayed() + " dead letters (they are in the inbox): "
                + (e.databaseUnavailable() ? "the database is unavailable; replay again once it is back" : "see the connector's log"), request);
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String message, HttpServletRequest request) {
        return ResponseEntity.status(status).body(ApiError.body(status, message, request.getRequestURI()));
    }
}
