package dev.vepconnector.ingest;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.connection.RabbitUtils;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Owns the connector's side of VEP's broker: the durable queue and its bindings (the interface makes
 * the Partner System responsible for both). VEP's exchange belongs to VEP: it is only checked
 * passively, never declared. Until the exchange exists and the queue is bound the connector keeps
 * retrying, says why in the log once, and reports DOWN; when bound it starts the ingest route and
 * announces {@link BrokerTopologyReady}. After a connection loss it binds again on reconnect.
 */
@Component("vepBroker")
public class BrokerTopology implements SmartLifecycle, HealthIndicator {

    public static final String INGEST_ROUTE_ID = "vep-ingest";
    private static final Logger log = LoggerFactory.getLogger(BrokerTopology.class);

    enum State { STARTING, BROKER_UNREACHABLE, EXCHANGE_MISSING, QUEUE_CONFLICT, BOUND }

    private final ConnectorProperties properties;
    private final ConnectionFactory connectionFactory;
    private final AmqpAdmin admin;
    private final RabbitTemplate rabbit;
    // Looked up lazily: a Lifecycle bean's dependencies are started with it, and Camel must not start
    // before it has collected the route files.
    private final ObjectProvider<CamelContext> camel;
    private final ApplicationEventPublisher events;
    private final AtomicBoolean attemptScheduled = new AtomicBoolean();
    private ScheduledExecutorService scheduler;
    private volatile State state = State.STARTING;
    private volatile String problem = "not connected yet";
    private volatile boolean running;

    public BrokerTopology(ConnectorProperties properties, ConnectionFactory connectionFactory, AmqpAdmin admin,
                          RabbitTemplate rabbit, ObjectProvider<CamelContext> camel, ApplicationEventPublisher events) {
        this.properties = properties;
        this.connectionFactory = connectionFactory;
        this.admin = admin;
        this.rabbit = rabbit;
        this.camel = camel;
        this.events = events;
    }

    /** The queue and its bindings, as the connector declares them. */
    Declarables declarables() {
        QueueBuilder builder = QueueBuilder.durable(properties.queue());
        if (properties.queueType() == ConnectorProperties.QueueType.QUORUM) {
            builder.quorum();
        }
        Queue queue = builder.build();
        TopicExchange exchange = new TopicExchange(properties.exchange());
        Declarables declarables = new Declarables(queue);
        properties.subscriptions().forEach(key -> declarables.getDeclarables().add(BindingBuilder.bind(queue).to(exchange).with(key)));
        return declarables;
    }

    @Override
    public void start() {
        running = true;
    }

    /** Camel loads its routes once the Spring context has refreshed: only then can binding start the ingest route. */
    @EventListener(ApplicationReadyEvent.class)
    public void beginBinding() {
        if (camel.getObject().getRoute(INGEST_ROUTE_ID) == null) {
            throw new IllegalStateException("No Camel route with id '" + INGEST_ROUTE_ID + "' is loaded: check "
                    + "camel.main.routes-include-pattern points at the routes directory holding ingest.yaml");
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "vep-broker-topology"));
        connectionFactory.addConnectionListener(new ConnectionListener() {
            @Override
            public void onCreate(org.springframework.amqp.rabbit.connection.Connection connection) {
                scheduleAttempt(0);
            }

            @Override
            public void onClose(org.springframework.amqp.rabbit.connection.Connection connection) {
                if (running) {
                    markDown(State.BROKER_UNREACHABLE, "connection to the broker closed");
                    scheduleAttempt(properties.ingest().bindRetryInterval().toMillis());
                }
            }
        });
        scheduleAttempt(0);
    }

    @Override
    public void stop() {
        running = false;
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void scheduleAttempt(long delayMillis) {
        if (running && scheduler != null && attemptScheduled.compareAndSet(false, true)) {
            scheduler.schedule(this::attempt, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void attempt() {
        attemptScheduled.set(false);
        if (!running) {
            return;
        }
        if (state == State.BOUND) {
            return;
        }
        try {
            bind();
            startIngestRoute();
            state = State.BOUND;
            problem = null;
            log.info("Queue '{}' ({}) bound to exchange '{}' with {}; consuming", properties.queue(),
                    properties.queueType().name().toLowerCase(), properties.exchange(), properties.subscriptions());
            events.publishEvent(new BrokerTopologyReady(properties.queue()));
        } catch (Exception e) {
            State failed = classify(e);
            markDown(failed, describe(failed, e));
            scheduleAttempt(properties.ingest().bindRetryInterval().toMillis());
        }
    }

    private void bind() {
        rabbit.execute(channel -> channel.exchangeDeclarePassive(properties.exchange()));
        for (var declarable : declarables().getDeclarables()) {
            if (declarable instanceof Queue queue) {
                admin.declareQueue(queue);
            } else if (declarable instanceof Binding binding) {
                admin.declareBinding(binding);
            }
        }
    }

    private void startIngestRoute() throws Exception {
        if (camel.getObject().getRouteController().getRouteStatus(INGEST_ROUTE_ID) != ServiceStatus.Started) {
            camel.getObject().getRouteController().startRoute(INGEST_ROUTE_ID);
        }
    }

    private void markDown(State newState, String reason) {
        boolean changed = newState != state || !reason.equals(problem);
        state = newState;
        problem = reason;
        if (changed) {
            log.error("VEP broker not ready: {}. Retrying every {} ms", reason, properties.ingest().bindRetryInterval().toMillis());
        } else {
            log.debug("VEP broker still not ready: {}", reason);
        }
    }

    private static State classify(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof com.rabbitmq.client.ShutdownSignalException sig) {
                if (RabbitUtils.isPassiveDeclarationChannelClose(sig)) {
                    return State.EXCHANGE_MISSING;
                }
                if (RabbitUtils.isMismatchedQueueArgs(e)) {
                    return State.QUEUE_CONFLICT;
                }
            }
        }
        return State.BROKER_UNREACHABLE;
    }

    private String describe(State failed, Exception e) {
        return switch (failed) {
            case EXCHANGE_MISSING -> "exchange '" + properties.exchange() + "' does not exist on virtual host '" + virtualHost()
                    + "' (VEP creates it when the integration is configured; check vep.exchange and spring.rabbitmq.virtual-host)";
            case QUEUE_CONFLICT -> "queue '" + properties.queue() + "' exists with other arguments than vep.queue-type="
                    + properties.queueType().name().toLowerCase() + " asks for; delete the queue or change the setting";
            default -> "cannot reach the broker at " + brokerAddress() + ": " + rootCause(e);
        };
    }

    private String virtualHost() {
        return connectionFactory.getVirtualHost();
    }

    private String brokerAddress() {
        return connectionFactory instanceof AbstractConnectionFactory f ? f.getHost() + ":" + f.getPort() : "the configured address";
    }

    private static String rootCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return "TLS handshake failed, " + t.getClass().getSimpleName() + " (" + t.getMessage() + ")";
            }
        }
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : " (" + t.getMessage() + ")");
    }

    /** True while the queue is declared and bound (and so can be asked about without an error on the broker). */
    boolean isBound() {
        return state == State.BOUND;
    }

    @Override
    public Health health() {
        Health.Builder health = state == State.BOUND ? Health.up() : Health.down();
        health.withDetail("state", state.name())
                .withDetails(Map.of("queue", properties.queue(), "exchange", properties.exchange()));
        if (problem != null) {
            health.withDetail("problem", problem);
        }
        return health.build();
    }

    /** Phase after Camel has loaded routes, before the web server takes traffic. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2048;
    }
}
