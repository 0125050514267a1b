package dev.vepconnector.config;

import dev.vepconnector.events.VepEventType;
import dev.vepconnector.ingest.BrokerFailures;
import dev.vepconnector.ingest.BrokerTopologyReady;
import dev.vepconnector.ingest.ConnectorProperties;
import com.rabbitmq.client.AMQP;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Asks VEP for every agent (interface 7.3.2): publishes configuration.agent.collect to the integration
 * exchange once the connector's queue is bound (so the answers are not missed), on a schedule when
 * configured, and on demand through the API.
 */
@Component
public class AgentCollectCommand {

    private static final Logger log = LoggerFactory.getLogger(AgentCollectCommand.class);
    private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

    private final RabbitTemplate rabbit;
    private final ConnectorProperties connector;
    private final ConfigurationCacheProperties properties;
    private final TaskScheduler scheduler;
    private ScheduledFuture<?> schedule;

    AgentCollectCommand(RabbitTemplate rabbit, ConnectorProperties connector, ConfigurationCacheProperties properties,
                        TaskScheduler scheduler) {
        this.rabbit = rabbit;
        this.connector = connector;
        this.properties = properties;
        this.scheduler = scheduler;
    }

    @EventListener
    synchronized void onQueueBound(BrokerTopologyReady ready) {
        if (properties.collectOnStart()) {
            publishQuietly("queue bound");
        }
        if (properties.collectInterval() != null && schedule == null) {
            schedule = scheduler.scheduleAtFixedRate(() -> publishQuietly("schedule"), properties.collectInterval());
        }
    }

    /** Publishes the command and waits for the broker to confirm it; throws when it cannot. */
    public void publish() {
        try {
            rabbit.execute(channel -> {
                // A publish to a missing exchange closes the channel, and the confirm wait would then run on a
                // fresh one and fail with "Confirms not selected": asked first, the broker's answer names the cause.
                channel.exchangeDeclarePassive(connector.integrationExchange());
                channel.confirmSelect();
                AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                        .contentType("application/json").deliveryMode(2).build();
                channel.basicPublish(connector.integrationExchange(), VepEventType.AGENT_COLLECT_COMMAND, props, BODY);
                channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT.toMillis());
                return null;
            });
        } catch (AmqpException e) {
            // In the broker's words ("NOT_FOUND - no exchange ..."), not the client's bare IOException.
            throw new IllegalStateException(BrokerFailures.cause(e), e);
        }
        log.info("Published {} to exchange {}", VepEventType.AGENT_COLLECT_COMMAND, connector.integrationExchange());
    }

    private void publishQuietly(String trigger) {
        try {
            publish();
        } catch (RuntimeException e) {
            log.warn("Could not publish {} ({}): {}", VepEventType.AGENT_COLLECT_COMMAND, trigger, e.getMessage());
        }
    }
}
