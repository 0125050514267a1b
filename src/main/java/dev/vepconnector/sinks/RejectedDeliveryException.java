package dev.vepconnector.sinks;

/** The peer refused the record for good (e.g. HTTP 400): retrying cannot help, it goes to the sink's dead letters. */
public class RejectedDeliveryException extends Exception {

    public RejectedDeliveryException(String message) {
        super(message);
    }

    public RejectedDeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
