package dev.vepconnector.sinks.salesforce;

import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code /api/sinks/salesforce/unmatched}: the cases delivered without a Contact although the visitor gave an
 * e-mail, phone or other key (several Contacts had it, or none did), oldest first, for an admin to link in
 * Salesforce; DELETE one when done (a later revision that links the case removes it too). GET takes a viewer,
 * DELETE the admin, as every {@code /api/**}.
 */
@RestController
@RequestMapping("/api/sinks/salesforce/unmatched")
@ConditionalOnProperty(prefix = "vep.sinks.salesforce", name = "enabled", havingValue = "true")
class UnmatchedCaseController {

    private final UnmatchedCases unmatched;

    UnmatchedCaseController(UnmatchedCases unmatched) {
        this.unmatched = unmatched;
    }

    /** @param outcome {@code several} or {@code none}; all when left out */
    @GetMapping
    List<UnmatchedCases.UnmatchedCase> list(@RequestParam(required = false) String outcome, @RequestParam(defaultValue = "100") int limit) {
        if (outcome != null && !List.of("none", "several").contains(outcome)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "outcome is none or several");
        }
        return unmatched.list(outcome, Math.max(1, Math.min(limit, 1000)));
    }

    @DeleteMapping("/{caseId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void done(@PathVariable String caseId) {
        if (!unmatched.remove(caseId)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "Case " + caseId + " is not in the unmatched list");
        }
    }
}
