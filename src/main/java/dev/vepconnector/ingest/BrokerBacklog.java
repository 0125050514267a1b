package dev.vepconnector.ingest;

import java.time.Duration;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.stereotype.Component;

/** How many messages wait in the connector's queue on VEP's broker; asked of the broker at most twice a second. */
@Component
class BrokerBacklog {

    private static final Duration REFRESH = Duration.ofMillis(500);

    private final AmqpAdmin admin;
    private final BrokerTopology topology;
    private final String queue;
    private long waiting;
    private long checkedAt;
    private boolean checked;

    BrokerBacklog(AmqpAdmin admin, BrokerTopology topology, ConnectorProperties properties) {
        this.admin = admin;
        this.topology = topology;
        this.queue = properties.queue();
    }

    /** Messages ready for the connector on the broker (0 while the broker cannot be asked). */
    synchronized long waiting() {
        long now = System.nanoTime();
        if (!checked || now - checkedAt > REFRESH.toNanos()) {
            waiting = ask();
            checkedAt = now;
            checked = true;
        }
        return waiting;
    }

    private long ask() {
        if (!topology.isBound()) {
            // A passive declaration of a missing queue is a channel error the broker and the client both log.
            return 0;
        }
        try {
            QueueInformation info = admin.getQueueInfo(queue);
            return info == null ? 0 : info.getMessageCount();
        } catch (AmqpException e) {
            return 0;
        }
    }
}
