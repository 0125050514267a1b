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

    private SinkHeaders() {
    }
}
