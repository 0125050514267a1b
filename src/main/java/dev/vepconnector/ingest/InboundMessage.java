package dev.vepconnector.ingest;

import com.rabbitmq.client.Channel;
import dev.vepconnector.events.ReadResult;
import dev.vepconnector.events.RejectReason;
import dev.vepconnector.events.VepEventReader;
import java.time.Instant;

/**
 * A message taken off the broker and not yet acknowledged, already read (on the consumer's thread,
 * so the writer thread only stores).
 *
 * @param read     what reading it gave: an event, a rejection, or an unknown type
 * @param dedupKey for an accepted event, the key its duplicates share; null otherwise
 */
record InboundMessage(String routingKey, byte[] body, Instant receivedAt, ReadResult read, String dedupKey, Channel channel,
                      long deliveryTag) {

    static InboundMessage read(VepEventReader reader, String routingKey, byte[] body, Instant receivedAt, Channel channel,
                               long deliveryTag) {
        ReadResult read;
        try {
            read = reader.read(routingKey, body, receivedAt);
        } catch (RuntimeException e) {
            // A bug in reading must dead-letter the message, not leave it unacknowledged forever.
            read = new ReadResult.Rejected(RejectReason.PROCESSING_ERROR, routingKey + " could not be read: " + e);
        }
        String dedupKey = read instanceof ReadResult.Accepted accepted ? EventLog.dedupKey(accepted) : null;
        return new InboundMessage(routingKey, body, receivedAt, read, dedupKey, channel, deliveryTag);
    }
}
