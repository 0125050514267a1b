package dev.vepconnector.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vepconnector.events.Outcome;
import dev.vepconnector.monitoring.CaseFigures.Key;
import dev.vepconnector.monitoring.CaseStep.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What one case adds to its groups' figures, whatever order its events arrive in. */
class CaseFiguresTest {

    static final Duration TARGET = Duration.ofSeconds(60);
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void aCaseAnsweredWithinTargetAndClosedIsAnsweredHandledAndTimed() {
        Map<Key, FigureCounts> figures = CaseFigures.of(List.of(created(0), opened(45, "g1"), closed(345, Outcome.POSITIVE)), TARGET);

        assertThat(figures.get(key("g1", 0))).isEqualTo(FigureCounts.answer(45_000, true));
        assertThat(figures.get(key("g1", 5))).isEqualTo(FigureCounts.assignmentEnded(300_000).plus(FigureCounts.handledWith(Outcome.POSITIVE)));
        assertThat(figures).hasSize(2);
    }

    @Test
    void aWaitOverTheTargetIsAnsweredOutsideIt() {
        Map<Key, FigureCounts> figures = CaseFigures.of(List.of(created(0), opened(61, "g1")), TARGET);

        assertThat(figures.get(key("g1", 1))).isEqualTo(FigureCounts.answer(61_000, false));
    }

    @Test
    void aTransferEndsTheAssignmentAndTheNewGroupAnswersFromTheTransfer() {
        Map<Key, FigureCounts> figures = CaseFigures.of(List.of(created(0), opened(10, "g1"), transferred(130, "g1", "g2"),
                opened(150, "g2"), closed(400, Outcome.NEGATIVE)), TARGET);

        FigureCounts g1 = total(figures, "g1");
        assertThat(g1.answered()).isEqualTo(1);
        assertThat(g1.transfersOut()).isEqualTo(1);
        assertThat(g1.assignmentsEnded()).isEqualTo(1);
        assertThat(g1.handleTimeMs()).isEqualTo(120_000);
        assertThat(g1.handled()).isZero();
        FigureCounts g2 = total(figures, "g2");
        assertThat(g2.transfersIn()).isEqualTo(1);
        assertThat(g2.answered()).isEqualTo(1);
        assertThat(g2.speedOfAnswerMs()).isEqualTo(20_000);
        assertThat(g2.handled()).isEqualTo(1);
        assertThat(g2.negative()).isEqualTo(1);
        assertThat(g2.handleTimeMs()).isEqualTo(250_000);
    }

    @Test
    void aReopenedCaseIsAssignedAndHandledAgainButNotAnsweredAgain() {
        Map<Key, FigureCounts> figures = CaseFigures.of(List.of(created(0), opened(20, "g1"), closed(80, Outcome.UNRESOLVED),
                opened(600, "g1"), closed(700, Outcome.POSITIVE)), TARGET);

        FigureCounts g1 = total(figures, "g1");
        assertThat(g1.answered()).isEqualTo(1);
        assertThat(g1.handled()).isEqualTo(2);
        assertThat(g1.unresolved()).isEqualTo(1);
        assertThat(g1.positive()).isEqualTo(1);
        assertThat(g1.assignmentsEnded()).isEqualTo(2);
        assertThat(g1.handleTimeMs()).isEqualTo(60_000 + 100_000);
    }

    @Test
    void theOrderOfArrivalDoesNotChangeTheFigures() {
        List<CaseStep> inOrder = List.of(created(0), opened(10, "g1"), transferred(130, "g1", "g2"), opened(150, "g2"),
                closed(400, Outcome.NEGATIVE));
        Map<Key, FigureCounts> expected = CaseFigures.of(inOrder, TARGET);
        List<CaseStep> shuffled = new ArrayList<>(inOrder);
        for (int round = 0; round < 20; round++) {
            Collections.shuffle(shuffled, new java.util.Random(round));
            List<CaseStep> arrived = new ArrayList<>();
            for (int i = 0; i < shuffled.size(); i++) {
                CaseStep s = shuffled.get(i);
                arrived.add(new CaseStep(s.kind(), s.at(), i, s.groupId(), s.fromGroupId(), s.outcome()));
            }
            assertThat(CaseFigures.of(arrived, TARGET)).isEqualTo(expected);
        }
    }

    @Test
    void theDifferenceOfAStepIsWhatItChangesOnly() {
        List<CaseStep> before = List.of(opened(45, "g1"));
        List<CaseStep> after = List.of(opened(45, "g1"), created(0));

        Map<Key, FigureCounts> change = CaseFigures.difference(CaseFigures.of(before, TARGET), CaseFigures.of(after, TARGET));

        assertThat(change).containsExactly(Map.entry(key("g1", 0), FigureCounts.answer(45_000, true)));
        assertThat(CaseFigures.difference(CaseFigures.of(after, TARGET), CaseFigures.of(after, TARGET))).isEmpty();
    }

    @Test
    void leftOutAttributesAreTheCasesEarlierOnes() {
        Map<Key, FigureCounts> figures = CaseFigures.of(List.of(created(0), opened(5, "g1"), closed(50, Outcome.NEUTRAL),
                opened(100, null), closed(160, null)), TARGET);

        FigureCounts g1 = total(figures, "g1");
        assertThat(g1.handled()).isEqualTo(2);
        assertThat(g1.neutral()).isEqualTo(2);
    }

    @Test
    void aCaseClosedWhileWaitingIsNeitherAnsweredNorHandled() {
        Map<Key, FigureCounts> figures = CaseFigures.of(List.of(created(0), closed(30, Outcome.UNRESOLVED)), TARGET);

        assertThat(figures).isEmpty();
    }

    private static FigureCounts total(Map<Key, FigureCounts> figures, String group) {
        return figures.entrySet().stream().filter(e -> e.getKey().groupId().equals(group)).map(Map.Entry::getValue)
                .reduce(FigureCounts.NONE, FigureCounts::plus);
    }

    private static Key key(String group, int minute) {
        return new Key(group, T0.plus(Duration.ofMinutes(minute)));
    }

    private static long at(int seconds) {
        return T0.plusSeconds(seconds).toEpochMilli();
    }

    private static CaseStep created(int s) {
        return new CaseStep(Kind.CREATED, at(s), s, null, null, null);
    }

    private static CaseStep opened(int s, String group) {
        return new CaseStep(Kind.OPENED, at(s), s, group, null, null);
    }

    private static CaseStep transferred(int s, String from, String to) {
        return new CaseStep(Kind.TRANSFERRED, at(s), s, to, from, null);
    }

    private static CaseStep closed(int s, Outcome outcome) {
        return new CaseStep(Kind.CLOSED, at(s), s, null, null, outcome);
    }
}
