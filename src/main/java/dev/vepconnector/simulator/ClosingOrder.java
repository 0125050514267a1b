package dev.vepconnector.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.BiConsumer;

/**
 * How a close reaches the connector: case.closed then its transcript, or the transcript first, or no
 * transcript at all; the interface allows each, and the connector must cope with all three.
 */
final class ClosingOrder {

    private ClosingOrder() {
    }

    /**
     * @param draw a uniform draw in [0, 1) that picks the order, from the caller's seeded random (same seed, same traffic)
     */
    static void publish(ObjectNode closed, ObjectNode transcript, double draw, SimulatorProperties.Mix mix,
                        BiConsumer<String, ObjectNode> emit) {
        if (draw < mix.missingTranscript()) {
            emit.accept("case.closed", closed);
        } else if (draw < mix.missingTranscript() + mix.transcriptFirst()) {
            emit.accept("case.transcriptClosed", transcript);
            emit.accept("case.closed", closed);
        } else {
            emit.accept("case.closed", closed);
            emit.accept("case.transcriptClosed", transcript);
        }
    }
}
