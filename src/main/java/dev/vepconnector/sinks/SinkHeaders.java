package dev.vepconnector.sinks;

/** The headers of an exchange from {@code vep-sink:<name>} (operator contract, "Sinks are routes"). */
public final class SinkHeaders {

    public static final String CASE_ID = "vepCaseId";
    public static final String REVISION = "vepRevision";
    /** {@code <caseId>:<revision>}: the same on every attempt, for receivers to deduplicate by. */
    public static final String IDEMPOTENCY_KEY = "vepIdempotencyKey";
    public static final String SINK = "vepSink";
    public static final String OUTCOME = "vepOutcome";
    /** The case type's configured name (absent while VEP has not sent the case type). */
    public static final String CASE_TYPE = "vepCaseType";
    public static final String CASE_TYPE_ID = "vepCaseTypeId";
    /** 1 on the first attempt. */
    public static final String ATTEMPT = "vepAttempt";
    /**
     * {@code true} on the notice that the case was erased (body {@code {"type": "case.erased", "caseId": ...,
     * "erasedAt": ...}}): the route removes what its destination holds of the case. Only sinks with
     * {@code vep.sinks.<name>.erasure-notices} get it.
     */
    public static final String ERASURE = "vepErasure";

    private SinkHeaders() {
    }
}
