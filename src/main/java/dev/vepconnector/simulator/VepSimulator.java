package dev.vepconnector.simulator;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.vepconnector.events.VepEventType;
import dev.vepconnector.ingest.BrokerTopologyReady;
import dev.vepconnector.ingest.ConnectorProperties;
import dev.vepconnector.startup.CannotStartException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.amqp.RabbitProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Plays VEP on the broker the connector uses ({@code spring.rabbitmq.*}): owns VEP's exchanges,
 * publishes the configuration and then the case and queue traffic, persistent and with publisher
 * confirms: {@link VepTraffic} at {@code vep.simulator.rate} (pacing rate) or a {@link ContactCenter}
 * against the wall clock (pacing realistic), and answers
 * configuration.agent.collect on the integration exchange with every agent. Runs on its own thread and
 * connection ("vep-simulator"), so it can drive a real RabbitMQ as well as the demo's embedded broker.
 */
@Component
@Profile("simulator")
public class VepSimulator implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(VepSimulator.class);
    private static final int CONFIRM_BATCH = 200;
    private static final AMQP.BasicProperties PERSISTENT_JSON = new AMQP.BasicProperties.Builder()
            .contentType("application/json").deliveryMode(2).build();

    private final SimulatorProperties properties;
    private final ConnectorProperties connector;
    private final RabbitProperties rabbit;
    private final Map<String, AtomicLong> published = new ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile boolean finished;
    private Thread thread;
    private Connection connection;

    VepSimulator(SimulatorProperties properties, ConnectorProperties connector, RabbitProperties rabbit) {
        this.properties = properties;
        this.connector = connector;
        this.rabbit = rabbit;
    }

    /** Messages published so far, by routing key. */
    public Map<String, Long> published() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        published.forEach((key, count) -> copy.put(key, count.get()));
        return copy;
    }

    /** True once every configured case is published (never when {@code vep.simulator.cases} is 0). */
    public boolean isFinished() {
        return finished;
    }

    /** VEP's exchanges exist before any partner connects: declared while the application starts. */
    @Override
    public void start() {
        try {
            connection = connect();
            try (Channel channel = connection.createChannel()) {
                channel.exchangeDeclare(connector.exchange(), BuiltinExchangeType.TOPIC, true);
                channel.exchangeDeclare(connector.integrationExchange(), BuiltinExchangeType.TOPIC, true);
            }
            answerAgentCollect(realistic() ? new ContactCenter(properties, Instant.now()).agents() : VepTraffic.live(properties).agents());
            running = true;
        } catch (IOException | TimeoutException e) {
            throw new CannotStartException("The VEP simulator cannot reach the broker at " + rabbit.determineHost() + ":"
                    + rabbit.determinePort() + ": " + rootCause(e),
                    "Start the broker or set spring.rabbitmq.host and port to where it runs (the demo profile runs one inside the connector).");
        }
    }

    /** VEP sends its whole configuration upon subscription: publishing starts once the connector's queue is bound. */
    @EventListener(BrokerTopologyReady.class)
    synchronized void onQueueBound() {
        if (thread == null && running) {
            thread = new Thread(this::run, "vep-simulator");
            thread.setDaemon(true);
            thread.start();
        }
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
        closeQuietly();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the connector's consumer, so the connector gets what was published. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    private void run() {
        try {
            Channel channel = connection.createChannel();
            channel.confirmSelect();
            if (realistic()) {
                publishRealistic(channel);
            } else {
                publishRate(channel);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | TimeoutException | RuntimeException e) {
            if (running) {
                log.error("VEP simulator stopped: {}", e.toString());
            }
        }
    }

    private boolean realistic() {
        return properties.pacing() == SimulatorProperties.Pacing.REALISTIC;
    }

    private void publishRate(Channel channel) throws IOException, InterruptedException, TimeoutException {
        VepTraffic traffic = VepTraffic.live(properties);
        log.info("VEP simulator publishing to {}:{} exchange {}: {} groups, {} agents, {} cases at {} events/s (seed {})",
                rabbit.determineHost(), rabbit.determinePort(), connector.exchange(), properties.groups(), properties.agents(),
                properties.cases() == 0 ? "unlimited" : properties.cases(),
                properties.rate() == 0 ? "max" : properties.rate(), properties.seed());
        publishAll(channel, traffic.configuration());
        publishStream(channel, traffic);
        finished = true;
        log.info("VEP simulator finished: {} cases, {} messages", traffic.casesStarted(), total());
    }

    /**
     * Plays the contact center against the wall clock: sleeps until its next step falls due and publishes
     * what happened, waiting for the broker's confirms while idle.
     */
    private void publishRealistic(Channel channel) throws IOException, InterruptedException, TimeoutException {
        ContactCenter center = new ContactCenter(properties, Instant.now());
        log.info("VEP simulator publishing to {}:{} exchange {}: a contact center of {} groups and {} agents, {} cases, {} (seed {})",
                rabbit.determineHost(), rabbit.determinePort(), connector.exchange(), properties.groups(), properties.agents(),
                properties.cases() == 0 ? "unlimited" : properties.cases(),
                properties.speed(), properties.seed());
        publishAll(channel, center.configuration());
        while (running && !center.isFinished()) {
            long waitMillis = Duration.between(Instant.now(), center.nextDue()).toMillis();
            if (waitMillis > 0) {
                channel.waitForConfirmsOrDie(10_000);
                Thread.sleep(waitMillis);
            }
            for (SimulatedMessage message : center.advanceTo(Instant.now())) {
                publish(channel, message);
            }
        }
        channel.waitForConfirmsOrDie(10_000);
        finished = center.isFinished();
        log.info("VEP simulator finished: {} cases, {} messages", center.casesStarted(), total());
    }

    private void publishStream(Channel channel, VepTraffic traffic) throws IOException, InterruptedException, TimeoutException {
        long startNanos = System.nanoTime();
        long count = 0;
        while (running && traffic.hasNext()) {
            SimulatedMessage message = traffic.next();
            if (properties.rate() > 0) {
                long dueNanos = startNanos + (long) (count * 1_000_000_000L / properties.rate());
                long waitMillis = (dueNanos - System.nanoTime()) / 1_000_000;
                if (waitMillis > 0) {
                    channel.waitForConfirmsOrDie(10_000);
                    Thread.sleep(waitMillis);
                }
            }
            publish(channel, message);
            if (++count % CONFIRM_BATCH == 0) {
                channel.waitForConfirmsOrDie(10_000);
            }
            if (count % 10_000 == 0) {
                log.info("VEP simulator: {} messages published", total());
            }
        }
        channel.waitForConfirmsOrDie(10_000);
    }

    private void publishAll(Channel channel, List<SimulatedMessage> messages) throws IOException, InterruptedException, TimeoutException {
        for (SimulatedMessage message : messages) {
            publish(channel, message);
        }
        channel.waitForConfirmsOrDie(10_000);
    }

    private void publish(Channel channel, SimulatedMessage message) throws IOException {
        channel.basicPublish(connector.exchange(), message.routingKey(), PERSISTENT_JSON, message.body());
        published.computeIfAbsent(message.routingKey(), key -> new AtomicLong()).incrementAndGet();
    }

    /** VEP answers configuration.agent.collect by publishing every agent (interface 7.3.2). */
    private void answerAgentCollect(List<SimulatedMessage> agents) throws IOException {
        Channel commands = connection.createChannel();
        Channel answers = connection.createChannel();
        String queue = commands.queueDeclare().getQueue();
        commands.queueBind(queue, connector.integrationExchange(), VepEventType.AGENT_COLLECT_COMMAND);
        commands.basicConsume(queue, true, new DefaultConsumer(commands) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) throws IOException {
                log.info("VEP simulator: {} received, publishing {} agents", VepEventType.AGENT_COLLECT_COMMAND, agents.size());
                synchronized (answers) {
                    for (SimulatedMessage agent : agents) {
                        publish(answers, agent);
                    }
                }
            }
        });
    }

    private Connection connect() throws IOException, TimeoutException {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(rabbit.determineHost());
        factory.setPort(rabbit.determinePort());
        factory.setUsername(rabbit.determineUsername());
        factory.setPassword(rabbit.determinePassword());
        if (rabbit.determineVirtualHost() != null) {
            factory.setVirtualHost(rabbit.determineVirtualHost());
        }
        factory.setAutomaticRecoveryEnabled(false);
        return factory.newConnection("vep-simulator");
    }

    private static String rootCause(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private long total() {
        return published.values().stream().mapToLong(AtomicLong::get).sum();
    }

    private void closeQuietly() {
        try {
            if (connection != null && connection.isOpen()) {
                connection.close();
            }
        } catch (IOException | RuntimeException e) {
            // closing anyway
        }
    }
}
