package dev.vepconnector.cases;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Emits, without transcript, the records of closed cases whose transcript did not come in time. */
@Component
class TranscriptWaitSweeper {

    private static final Logger log = LoggerFactory.getLogger(TranscriptWaitSweeper.class);

    private final CaseAggregator aggregator;

    TranscriptWaitSweeper(CaseAggregator aggregator) {
        this.aggregator = aggregator;
    }

    @Scheduled(fixedDelayString = "${vep.cases.sweep-interval:1s}", initialDelayString = "${vep.cases.sweep-interval:1s}")
    void sweep() {
        try {
            int swept;
            do {
                swept = aggregator.emitWhereTranscriptWaitIsOver();
            } while (swept > 0);
        } catch (RuntimeException e) {
            // The database or the route may be down for a moment: the next sweep tries again.
            log.warn("Could not emit cases whose transcript wait is over: {}", e.toString());
        }
    }
}
