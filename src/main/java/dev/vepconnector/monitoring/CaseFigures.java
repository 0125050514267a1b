package dev.vepconnector.monitoring;

import dev.vepconnector.events.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one case adds to its groups' figures, per group and minute, worked out from all its steps in
 * eventTime order. Worked out whole each time a step arrives, so a step that arrives late (a
 * {@code case.opened} before its {@code case.created}, from another replica) still counts as if in order.
 *
 * <ul>
 *   <li>A case waits in a queue from {@code case.created} (the group is not named: the one that opens it)
 *       or from {@code case.transferred.toGroup} (the new group). The next {@code case.opened} answers it:
 *       answered, its wait, within target or not, for the opening group in the minute it was opened.</li>
 *   <li>An opening with no wait before it (a case closed unresolved and opened again: VEP sends no event
 *       for its return) is an assignment of the group, not an answer.</li>
 *   <li>An assignment ends with {@code case.closed} (handled, with its outcome) or a transfer away (a
 *       transfer out of the previous group, in of the new one); either way its duration, opened to end,
 *       counts in the handle time, in the minute it ended.</li>
 * </ul>
 */
final class CaseFigures {

    /** A group's figures in one minute (UTC, by eventTime). */
    record Key(String groupId, Instant minute) implements Comparable<Key> {

        private static final Comparator<Key> ORDER = Comparator.comparing(Key::groupId).thenComparing(Key::minute);

        @Override
        public int compareTo(Key other) {
            return ORDER.compare(this, other);
        }
    }

    private final Duration target;
    private final Map<Key, FigureCounts> counts = new HashMap<>();
    private Long waitingSince;
    private String waitingFor;
    private String assignedGroup;
    private long assignedAt;
    private String lastGroup;
    private Outcome lastOutcome;

    private CaseFigures(Duration target) {
        this.target = target;
    }

    /** The case's share of the figures; empty when it has none. */
    static Map<Key, FigureCounts> of(List<CaseStep> steps, Duration target) {
        CaseFigures figures = new CaseFigures(target);
        steps.stream().sorted(Comparator.comparingLong(CaseStep::at).thenComparingLong(CaseStep::seq)).forEach(figures::step);
        return figures.counts;
    }

    private void step(CaseStep step) {
        switch (step.kind()) {
            case CREATED -> created(step);
            case TRANSFERRED -> transferred(step);
            case OPENED -> opened(step);
            case CLOSED -> closed(step);
        }
    }

    private void created(CaseStep step) {
        if (waitingSince == null && assignedGroup == null) {
            waitingSince = step.at();
            waitingFor = null;
        }
    }

    private void transferred(CaseStep step) {
        String from = step.fromGroupId() != null ? step.fromGroupId() : assignedGroup != null ? assignedGroup : lastGroup;
        endAssignment(step.at(), FigureCounts.NONE);
        if (from != null) {
            add(from, step.at(), FigureCounts.TRANSFER_OUT);
        }
        if (step.groupId() != null) {
            add(step.groupId(), step.at(), FigureCounts.TRANSFER_IN);
        }
        waitingSince = step.at();
        waitingFor = step.groupId();
    }

    private void opened(CaseStep step) {
        String group = step.groupId() != null ? step.groupId() : waitingFor != null ? waitingFor : lastGroup;
        if (group == null) {
            return;
        }
        // Opened again while assigned: the interface has no event for a change of agent; the earlier assignment ends here.
        endAssignment(step.at(), FigureCounts.NONE);
        if (waitingSince != null) {
            long wait = step.at() - waitingSince;
            add(group, step.at(), FigureCounts.answer(wait, wait <= target.toMillis()));
            waitingSince = null;
            waitingFor = null;
        }
        assignedGroup = group;
        assignedAt = step.at();
        lastGroup = group;
    }

    private void closed(CaseStep step) {
        Outcome outcome = step.outcome() != null ? step.outcome() : lastOutcome;
        lastOutcome = outcome;
        endAssignment(step.at(), FigureCounts.handledWith(outcome));
        // Closed while waiting: nobody answered it.
        waitingSince = null;
        waitingFor = null;
    }

    private void endAssignment(long at, FigureCounts with) {
        if (assignedGroup != null) {
            add(assignedGroup, at, FigureCounts.assignmentEnded(at - assignedAt).plus(with));
            assignedGroup = null;
        }
    }

    private void add(String groupId, long at, FigureCounts more) {
        Key key = new Key(groupId, Instant.ofEpochMilli(at).truncatedTo(ChronoUnit.MINUTES));
        counts.merge(key, more, FigureCounts::plus);
    }

    /** What {@code after} adds to the figures over {@code before}, without the keys that do not change. */
    static Map<Key, FigureCounts> difference(Map<Key, FigureCounts> before, Map<Key, FigureCounts> after) {
        Map<Key, FigureCounts> delta = new HashMap<>(after);
        before.forEach((key, counts) -> delta.merge(key, FigureCounts.NONE.minus(counts), FigureCounts::plus));
        delta.values().removeIf(FigureCounts::isZero);
        return delta;
    }
}
