package dev.vepconnector.startup;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a {@link CannotStartException} as it is, without the bean creation stack around it. */
class CannotStartFailureAnalyzer extends AbstractFailureAnalyzer<CannotStartException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, CannotStartException cause) {
        return new FailureAnalysis("Cannot start: " + cause.getMessage(), cause.action(), cause);
    }
}
