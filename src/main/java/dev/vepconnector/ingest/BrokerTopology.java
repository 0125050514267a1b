package dev.vepconnector.ingest;

import com.rabbitmq.client.ShutdownSignalException;
import dev.vepconnector.storage.DataDisk;
import dev.vepconnector.storage.DataDiskChanged;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpApplicationContextClosedException;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Owns the connector's side of VEP's broker: the durable queue and its bindings (the interface makes
 * the Partner System responsible for both). VEP's exchange belongs to VEP: it is only checked
 * passively, never declared. Until the exchange exists and the queue is bound the connector keeps
 * retrying, reports DOWN with a {@link BrokerState} and what to do about it, and logs that as
 * {@link BrokerStatus} decides; when bound it starts the ingest route and announces
 * {@link BrokerTopologyReady}. When the connection is lost it stops the route and binds again. While the
 * data folder's disk is low ({@link DataDisk}) the queue stays bound but the route is stopped, and it
 * starts again when space is back; every start and stop of the route happens on this class's own
 * thread, so a disk change and a reconnect never race each other.
 */
@Component("vepBroker")
public class BrokerTopology implements SmartLifecycle, HealthIndicator {

    public static final String INGEST_ROUTE_ID = "vep-ingest";
    private static final Logger log = LoggerFactory.getLogger(BrokerTopology.class);

    private final ConnectorProperties properties;
    private final ConnectionFactory connectionFactory;
    private final RabbitTemplate rabbit;
    // Looked up lazily: a Lifecycle bean's dependencies are started with it, and Camel must not start
    // before it has collected the route files.
    private final ObjectProvider<CamelContext> camel;
    private final ApplicationEventPublisher events;
    private final BrokerStatus status;
    private final DataDisk dataDisk;
    private final Clock clock;
    private final AtomicBoolean attemptScheduled = new AtomicBoolean();
    private ScheduledExecutorService scheduler;
    private volatile boolean running;
    private volatile boolean heldForDisk;
    private volatile Instant resumedAt;

    public BrokerTopology(ConnectorProperties properties, ConnectionFactory connectionFactory, RabbitTemplate rabbit,
                          ObjectProvider<CamelContext> camel, ApplicationEventPublisher events, DataDisk dataDisk, Clock clock) {
        this.properties = properties;
        this.connectionFactory = connectionFactory;
        this.rabbit = rabbit;
        this.camel = camel;
        this.events = events;
        this.dataDisk = dataDisk;
        this.clock = clock;
        this.status = new BrokerStatus(clock, properties.ingest().bindRetryInterval());
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

    /**
     * Binding starts the ingest route, so it waits for Camel to have started with its routes: at once
     * when the application is ready, or later where Camel starts after that (a route test that
     * advises routes first).
     */
    @EventListener(ApplicationReadyEvent.class)
    public void bindOnceCamelHasStarted() throws Exception {
        camel.getObject().addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                if (alreadyStarted) {
                    beginBinding(context);
                }
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                beginBinding(context);
            }
        });
    }

    private void beginBinding(CamelContext context) {
        if (context.getRoute(INGEST_ROUTE_ID) == null) {
            throw new IllegalStateException("No Camel route with id '" + INGEST_ROUTE_ID + "' is loaded (IngestRoute)");
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "vep-broker-topology"));
        connectionFactory.addConnectionListener(new ConnectionListener() {
            @Override
            public void onCreate(Connection connection) {
                // Only this class opens the connection while the queue is not bound.
            }

            @Override
            public void onShutDown(ShutdownSignalException signal) {
                if (!signal.isInitiatedByApplication()) {
                    connectionLost(BrokerFailures.cause(signal));
                }
            }

            @Override
            public void onClose(Connection connection) {
                connectionLost("closed by the connection factory");
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
        ScheduledExecutorService current = scheduler;
        if (running && current != null && attemptScheduled.compareAndSet(false, true)) {
            current.schedule(this::attempt, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void attempt() {
        attemptScheduled.set(false);
        if (!running || status.isBound()) {
            return;
        }
        stopIngestRoute();
        try {
            bind();
            startIngestRoute();
        } catch (Exception e) {
            report(e);
            scheduleAttempt(properties.ingest().bindRetryInterval().toMillis());
            return;
        }
        announceBound();
    }

    private void announceBound() {
        write(status.bound("Queue '" + properties.queue() + "' (" + properties.queueType().name().toLowerCase()
                + ") bound to exchange '" + properties.exchange() + "' with " + properties.subscriptions()
                + (heldForDisk ? "; consuming once the data folder's disk has room again (dataDisk)" : "; consuming")));
        if (!isConnected()) {
            // Lost while binding, when a loss changes nothing yet: told now, it is not missed.
            connectionLost("lost while binding");
            return;
        }
        events.publishEvent(new BrokerTopologyReady(properties.queue()));
    }

    private boolean isConnected() {
        try {
            return connectionFactory.createConnection().isOpen();
        } catch (AmqpException e) {
            return false;
        }
    }

    private void report(Exception failure) {
        if (!running || failure instanceof AmqpApplicationContextClosedException) {
            return; // shutting down: no broker problem
        }
        BrokerState state = BrokerFailures.classify(failure);
        String problem = describe(state, BrokerFailures.cause(failure));
        BrokerStatus.Line line = status.failed(state, problem);
        if (line == null) {
            log.debug("VEP broker still not ready ({}): {}", state, problem);
        }
        write(line);
    }

    /** Also called on the connection's own thread: only notes the loss; binding again runs on the scheduler. */
    private void connectionLost(String cause) {
        if (running) {
            BrokerStatus.Line line = status.lost("lost the connection to the broker at " + address() + " (" + cause + "); reconnecting");
            if (line != null) {
                write(line);
                scheduleAttempt(0);
            }
        }
    }

    private void bind() {
        rabbit.execute(channel -> {
            channel.exchangeDeclarePassive(properties.exchange());
            for (var declarable : declarables().getDeclarables()) {
                if (declarable instanceof Queue queue) {
                    channel.queueDeclare(queue.getName(), queue.isDurable(), queue.isExclusive(), queue.isAutoDelete(), queue.getArguments());
                } else if (declarable instanceof Binding binding) {
                    channel.queueBind(binding.getDestination(), binding.getExchange(), binding.getRoutingKey(), binding.getArguments());
                }
            }
            return null;
        });
    }

    /** Starts consuming, unless the data folder's disk is low: then the queue is bound and waits (DataDisk said why). */
    private void startIngestRoute() throws Exception {
        if (!dataDisk.takesMessages()) {
            heldForDisk = true;
            return;
        }
        if (camel.getObject().getRouteController().getRouteStatus(INGEST_ROUTE_ID) != ServiceStatus.Started) {
            camel.getObject().getRouteController().startRoute(INGEST_ROUTE_ID);
        }
        if (heldForDisk) {
            resumedAt = clock.instant();
            heldForDisk = false;
        }
    }

    /** Called on the thread that checks the disk: the route is stopped or started on this class's own thread. */
    @EventListener
    public void dataDiskChanged(DataDiskChanged change) {
        ScheduledExecutorService current = scheduler;
        if (running && current != null) {
            try {
                current.execute(this::followDataDisk);
            } catch (RejectedExecutionException e) {
                // shutting down: nothing to follow
            }
        }
    }

    /** While not bound there is nothing to stop, and binding again consults the disk before it starts the route. */
    private void followDataDisk() {
        if (!running || !status.isBound()) {
            return;
        }
        if (!dataDisk.takesMessages()) {
            heldForDisk = true;
            stopIngestRoute();
            return;
        }
        try {
            startIngestRoute();
        } catch (Exception e) {
            // Binding again starts it, or says what stands in the way.
            connectionLost("could not consume again after the low disk: " + BrokerFailures.cause(e));
        }
    }

    /**
     * Stops consuming until bound again. Its listener container would otherwise reconnect on its own
     * while the broker is away, logging every failed attempt with a stack trace.
     */
    private void stopIngestRoute() {
        try {
            if (camel.getObject().getRouteController().getRouteStatus(INGEST_ROUTE_ID) == ServiceStatus.Started) {
                camel.getObject().getRouteController().stopRoute(INGEST_ROUTE_ID);
            }
        } catch (Exception e) {
            log.warn("Could not stop the ingest route: {}", e.toString());
        }
    }

    private String describe(BrokerState failure, String cause) {
        return switch (failure) {
            case LOGIN_REFUSED -> "the broker at " + address() + " refused the login of user '" + user() + "' (" + cause
                    + "); check spring.rabbitmq.username and spring.rabbitmq.password (or the mounted secret)";
            case VHOST_NOT_ALLOWED -> "user '" + user() + "' may not open virtual host '" + virtualHost() + "' on the broker at "
                    + address() + " (" + cause + "); check spring.rabbitmq.virtual-host and the user's permissions on it";
            case PERMISSION_REFUSED -> "the broker refused user '" + user() + "' on virtual host '" + virtualHost() + "' (" + cause
                    + "); the user needs configure, write and read permission on queue '" + properties.queue()
                    + "' and read permission on exchange '" + properties.exchange() + "'";
            case TLS_FAILED -> tls() ? "TLS with the broker at " + address() + " failed (" + cause + "); check spring.rabbitmq.ssl.*, "
                    + "the CA bundle it names (spring.ssl.bundle.*) and that spring.rabbitmq.port is the broker's TLS port"
                    : "the server at " + address() + " closed the connection without greeting as an AMQP broker (" + cause
                    + "); it may expect TLS (spring.rabbitmq.ssl.enabled=true, usually on port 5671) or not be the broker: "
                    + "check spring.rabbitmq.ssl.* and spring.rabbitmq.port";
            case EXCHANGE_MISSING -> "exchange '" + properties.exchange() + "' does not exist on virtual host '" + virtualHost()
                    + "' (VEP creates it when the integration is configured; check vep.exchange and spring.rabbitmq.virtual-host)";
            case QUEUE_CONFLICT -> "queue '" + properties.queue() + "' exists with other arguments than vep.queue-type="
                    + properties.queueType().name().toLowerCase() + " asks for; delete the queue or change the setting";
            default -> "cannot reach the broker at " + address() + " (" + cause
                    + "); check spring.rabbitmq.host, spring.rabbitmq.port and the network to the broker";
        };
    }

    private String address() {
        return connectionFactory.getHost() + ":" + connectionFactory.getPort();
    }

    private String virtualHost() {
        return connectionFactory.getVirtualHost();
    }

    private String user() {
        return connectionFactory.getUsername();
    }

    private boolean tls() {
        return connectionFactory instanceof AbstractConnectionFactory factory && factory.getRabbitConnectionFactory().isSSL();
    }

    private static void write(BrokerStatus.Line line) {
        if (line != null) {
            log.atLevel(line.level()).log(line.text());
        }
    }

    /** True while the queue is declared and bound (and so can be asked about without an error on the broker). */
    boolean isBound() {
        return status.isBound();
    }

    /**
     * Since when the queue has been consumed without a break (since start, the last reconnect or the end of a
     * low disk); null while it is not.
     */
    Instant consumingSince() {
        Instant bound = status.boundSince();
        if (bound == null || heldForDisk || !dataDisk.takesMessages()) {
            return null;
        }
        Instant resumed = resumedAt;
        return resumed != null && resumed.isAfter(bound) ? resumed : bound;
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>(status.details());
        Health.Builder health = BrokerState.BOUND.name().equals(details.get("state")) ? Health.up() : Health.down();
        details.put("broker", address());
        details.put("virtualHost", virtualHost());
        details.put("user", user());
        details.put("tls", tls());
        details.put("queue", properties.queue());
        details.put("exchange", properties.exchange());
        if (heldForDisk) {
            details.put("paused", "bound, but taking no messages while the data folder's disk is low (see dataDisk)");
        }
        return health.withDetails(details).build();
    }

    /** Phase after Camel has loaded routes, before the web server takes traffic. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2048;
    }
}
