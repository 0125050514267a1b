package dev.vepconnector.ingest;

/**
 * Thrown by a {@link VepEventHandler} that cannot do its work now for a reason that passes (for
 * example while the application starts or stops). The messages stay where they are and are tried
 * again; they are never dead-lettered for it.
 */
public class TemporarilyUnavailableException extends RuntimeException {

    public TemporarilyUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
