package dev.vepconnector.events;

import java.time.Instant;

/** The full transcript of the conversation, available once the case is closed. */
public record CaseTranscriptClosed(Instant eventTime, String caseId, Transcript transcript) implements CaseEvent {

    @Override
    public VepEventType type() {
        return VepEventType.CASE_TRANSCRIPT_CLOSED;
    }
}
