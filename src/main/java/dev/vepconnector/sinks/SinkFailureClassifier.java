package dev.vepconnector.sinks;

/**
 * Reads a component's own exceptions (a Spring bean; the Salesforce sink has one): the delivery queue
 * asks each classifier in turn and falls back to {@link SinkFailures}' rules.
 */
public interface SinkFailureClassifier {

    /** What the failure means, or null when it is not this classifier's kind of exception. */
    SinkFailure classify(Throwable failure);
}
