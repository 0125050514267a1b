package dev.vepconnector.ingest;

import com.rabbitmq.client.Channel;
import java.time.Instant;

/** A message taken off the broker and not yet acknowledged: stored in the inbox as it is, then acknowledged on its channel. */
record InboundMessage(String routingKey, byte[] body, Instant receivedAt, Channel channel, long deliveryTag) {
}
