package dev.vepconnector.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * What was collected about the visitor (e.g. a web form). Its keys depend on VEP's configuration,
 * so it is kept as received. It is personal data: never log it.
 */
public record CaseVisitorProfile(Instant eventTime, String caseId, ObjectNode profile) implements CaseEvent {

    @Override
    public VepEventType type() {
        return VepEventType.CASE_VISITOR_PROFILE;
    }

    @Override
    public String toString() {
        return "CaseVisitorProfile[eventTime=" + eventTime + ", caseId=" + caseId + ", profile=<" + profile.size() + " attributes>]";
    }
}
