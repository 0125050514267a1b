package dev.vepconnector.events;

/** What reading one AMQP message gave: an event, a rejection with its reason, or an unknown type to skip. */
public sealed interface ReadResult {

    record Accepted(VepEvent event, String canonicalJson) implements ReadResult {
    }

    record Rejected(RejectReason reason, String detail) implements ReadResult {

        /** The human-readable reason, starting with the reason code. */
        public String describe() {
            return reason.code() + ": " + detail;
        }
    }

    record Ignored(String routingKey) implements ReadResult {
    }
}
