package dev.vepconnector.monitoring;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vepconnector.events.CaseClosed;
import dev.vepconnector.events.CaseCreated;
import dev.vepconnector.events.CaseEvent;
import dev.vepconnector.events.CaseOpened;
import dev.vepconnector.events.CaseTransferredToGroup;
import dev.vepconnector.events.Outcome;
import java.util.Optional;

/**
 * A case event that counts in the supervisor figures, as kept per case. Fields are null where the event
 * left them out (content deduplication: unchanged).
 *
 * @param at          the event's eventTime, epoch milliseconds
 * @param seq         arrival order among the case's steps, to order events of the same eventTime
 * @param groupId     opened: the agent's group; transferred: the new group
 * @param fromGroupId transferred: the previous group
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record CaseStep(Kind kind, long at, long seq, String groupId, String fromGroupId, Outcome outcome) {

    enum Kind { CREATED, TRANSFERRED, OPENED, CLOSED }

    /** The step of an event, or empty for events that do not count (visitor profile, transcript). */
    static Optional<CaseStep> of(CaseEvent event, long seq) {
        long at = event.eventTime().toEpochMilli();
        if (event instanceof CaseCreated) {
            return Optional.of(new CaseStep(Kind.CREATED, at, seq, null, null, null));
        } else if (event instanceof CaseOpened opened) {
            return Optional.of(new CaseStep(Kind.OPENED, at, seq, opened.groupId(), null, null));
        } else if (event instanceof CaseTransferredToGroup transfer) {
            return Optional.of(new CaseStep(Kind.TRANSFERRED, at, seq, transfer.newGroupId(), transfer.previousGroupId(), null));
        } else if (event instanceof CaseClosed closed) {
            return Optional.of(new CaseStep(Kind.CLOSED, at, seq, null, null, closed.outcome()));
        }
        return Optional.empty();
    }
}
