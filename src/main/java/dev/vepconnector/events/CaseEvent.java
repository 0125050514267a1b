package dev.vepconnector.events;

/** An event in the lifecycle of one case, correlated by {@code caseId}. */
public sealed interface CaseEvent extends VepEvent
        permits CaseCreated, CaseOpened, CaseClosed, CaseTransferredToGroup, CaseVisitorProfile, CaseTranscriptClosed {

    String caseId();

    @Override
    default String entityId() {
        return caseId();
    }
}
