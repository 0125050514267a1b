package dev.vepconnector.monitoring;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A group's supervisor figures over one window (today, the last hour), as the API shows them
 * (operator contract, "Supervisor figures"). Times in ms; averages and the service level are null
 * while there is nothing to average.
 *
 * @param serviceLevel answeredWithinTarget / answered, 0..1
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record GroupFigures(long answered, long answeredWithinTarget, Double serviceLevel, Long averageSpeedOfAnswer, long handled,
                           Long averageHandleTime, long transfersIn, long transfersOut, Outcomes outcomes) {

    public record Outcomes(long positive, long negative, long neutral, long unresolved) {
    }

    static final GroupFigures NONE = of(FigureCounts.NONE);

    static GroupFigures of(FigureCounts c) {
        return new GroupFigures(c.answered(), c.answeredWithinTarget(),
                c.answered() == 0 ? null : (double) c.answeredWithinTarget() / c.answered(),
                c.answered() == 0 ? null : Math.round((double) c.speedOfAnswerMs() / c.answered()),
                c.handled(), c.assignmentsEnded() == 0 ? null : Math.round((double) c.handleTimeMs() / c.assignmentsEnded()),
                c.transfersIn(), c.transfersOut(), new Outcomes(c.positive(), c.negative(), c.neutral(), c.unresolved()));
    }
}
