package dev.vepconnector.privacy;

/**
 * What a part of the connector keeps of a case outside the case's own tables (a sink's table of its own):
 * erased with the case, inside the erasure's transaction, so that an erased case leaves nothing behind.
 */
public interface ErasableCaseData {

    /** Removes what is kept of the case; returns the rows removed. */
    int eraseCase(String caseId);
}
