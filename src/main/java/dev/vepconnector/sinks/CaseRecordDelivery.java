package dev.vepconnector.sinks;

/**
 * One revision of a case record on its way to a sink.
 *
 * @param json    the record as the contract defines it (contracts/case-record.md)
 * @param attempt 1 for the first attempt
 */
public record CaseRecordDelivery(String caseId, int revision, String json, int attempt) {

    /** The key a receiver deduplicates by: the same on every retry of this revision. */
    public String idempotencyKey() {
        return caseId + ":" + revision;
    }

    @Override
    public String toString() {
        return "CaseRecordDelivery[" + idempotencyKey() + ", attempt " + attempt + "]";
    }
}
