package dev.vepconnector.monitoring;

/**
 * The counts and sums one group's figures are made of, for a minute, a window or one case's share.
 *
 * @param answered             openings that answered a case waiting in the group's queue
 * @param answeredWithinTarget of those, the ones answered within the service-level target
 * @param speedOfAnswerMs      their waits added up (ms)
 * @param handled              cases closed by an agent of the group
 * @param assignmentsEnded     the group's assignments that ended (closed or transferred away)
 * @param handleTimeMs         their durations added up, opened to end (ms)
 */
record FigureCounts(long answered, long answeredWithinTarget, long speedOfAnswerMs, long handled, long assignmentsEnded,
                    long handleTimeMs, long transfersIn, long transfersOut, long positive, long negative, long neutral,
                    long unresolved) {

    static final FigureCounts NONE = new FigureCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    FigureCounts plus(FigureCounts o) {
        return new FigureCounts(answered + o.answered, answeredWithinTarget + o.answeredWithinTarget, speedOfAnswerMs + o.speedOfAnswerMs,
                handled + o.handled, assignmentsEnded + o.assignmentsEnded, handleTimeMs + o.handleTimeMs, transfersIn + o.transfersIn,
                transfersOut + o.transfersOut, positive + o.positive, negative + o.negative, neutral + o.neutral, unresolved + o.unresolved);
    }

    FigureCounts minus(FigureCounts o) {
        return plus(o.negated());
    }

    private FigureCounts negated() {
        return new FigureCounts(-answered, -answeredWithinTarget, -speedOfAnswerMs, -handled, -assignmentsEnded, -handleTimeMs,
                -transfersIn, -transfersOut, -positive, -negative, -neutral, -unresolved);
    }

    boolean isZero() {
        return equals(NONE);
    }

    static FigureCounts answer(long waitMs, boolean withinTarget) {
        return new FigureCounts(1, withinTarget ? 1 : 0, waitMs, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    static FigureCounts assignmentEnded(long durationMs) {
        return new FigureCounts(0, 0, 0, 0, 1, durationMs, 0, 0, 0, 0, 0, 0);
    }

    static FigureCounts handledWith(dev.vepconnector.events.Outcome outcome) {
        return new FigureCounts(0, 0, 0, 1, 0, 0, 0, 0,
                outcome == dev.vepconnector.events.Outcome.POSITIVE ? 1 : 0, outcome == dev.vepconnector.events.Outcome.NEGATIVE ? 1 : 0,
                outcome == dev.vepconnector.events.Outcome.NEUTRAL ? 1 : 0, outcome == dev.vepconnector.events.Outcome.UNRESOLVED ? 1 : 0);
    }

    static final FigureCounts TRANSFER_IN = new FigureCounts(0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0);
    static final FigureCounts TRANSFER_OUT = new FigureCounts(0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0);
}
