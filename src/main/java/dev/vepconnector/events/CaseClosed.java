package dev.vepconnector.events;

import java.time.Instant;

/** An agent closed the case; an {@code unresolved} case may be opened again later. */
public record CaseClosed(Instant eventTime, String caseId, Outcome outcome, String closure) implements CaseEvent {

    @Override
    public VepEventType type() {
        return VepEventType.CASE_CLOSED;
    }
}
