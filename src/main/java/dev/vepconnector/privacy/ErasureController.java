package dev.vepconnector.privacy;

import java.security.Principal;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Erasure on request (admin): one case by id, or every case whose visitor profile has a value. */
@RestController
class ErasureController {

    private final CaseErasure erasure;

    ErasureController(CaseErasure erasure) {
        this.erasure = erasure;
    }

    /** {@code {"visitorProfile": {"email": "ada@example.org"}}}: the cases with any of these values are erased. */
    record ErasureRequest(Map<String, String> visitorProfile) {
    }

    @DeleteMapping("/api/cases/{caseId}")
    CaseErasure.Erased eraseCase(@PathVariable String caseId, Principal principal) {
        return erasure.eraseCase(caseId, who(principal))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "The connector holds nothing of case " + caseId));
    }

    @PostMapping("/api/privacy/erasures")
    CaseErasure.Erased eraseByVisitorProfile(@RequestBody ErasureRequest request, Principal principal) {
        if (request.visitorProfile() == null || request.visitorProfile().isEmpty()
                || request.visitorProfile().values().stream().anyMatch(value -> value == null || value.isBlank())) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "Give the visitor-profile values to erase by, e.g. {\"visitorProfile\": {\"email\": \"ada@example.org\"}}");
        }
        return erasure.eraseByVisitorProfile(request.visitorProfile(), who(principal));
    }

    private static String who(Principal principal) {
        return principal == null ? "an anonymous caller" : principal.getName();
    }
}
