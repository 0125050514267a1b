package dev.vepconnector.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * Why a message was dead-lettered. The code is the {@code reason} tag of
 * {@code vep_events_rejected_total} and the start of the reason in {@code /api/dead-letters}.
 */
public enum RejectReason {
    INVALID_ENCODING("invalid-encoding"),
    NOT_JSON("not-json"),
    NOT_OBJECT("not-object"),
    LIMIT_EXCEEDED("limit-exceeded"),
    MISSING_FIELD("missing-field"),
    INVALID_VALUE("invalid-value"),
    STORAGE_ERROR("storage-error"),
    PROCESSING_ERROR("processing-error");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** The reason with this code, if there is one. */
    public static Optional<RejectReason> ofCode(String code) {
        return Arrays.stream(values()).filter(reason -> reason.code.equals(code)).findFirst();
    }
}
