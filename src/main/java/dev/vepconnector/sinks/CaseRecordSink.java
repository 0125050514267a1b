package dev.vepconnector.sinks;

/**
 * Where case records go: one implementation per sink, in its own package, registered as a bean only
 * when {@code vep.sinks.<name>.enabled} is true. The delivery queue calls {@link #deliver} for each
 * record revision, in revision order per case, and retries on failure; an implementation only has to
 * deliver one record and say how it failed.
 */
public interface CaseRecordSink {

    /** The name in {@code vep.sinks.<name>}, the API and the metrics. */
    String name();

    /** How often and how patiently failed deliveries are retried. */
    SinkRetry retry();

    /**
     * Delivers the record, idempotently: the same revision may come again after a crash or a timeout.
     *
     * @throws RejectedDeliveryException when retrying cannot help (the record goes to the sink's dead letters)
     * @throws RetryLaterException       when the peer said when to come back
     * @throws Exception                 anything else: retried with backoff
     */
    void deliver(CaseRecordDelivery delivery) throws Exception;

    /**
     * How many records the sink is given at once, each on its own thread (1: one at a time, on the
     * sink's worker thread). Revisions of one case are never delivered at the same time, whatever this says.
     */
    default int concurrency() {
        return 1;
    }
}
