package dev.vepconnector.support;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Plays VEP's side of the broker in tests: owns the outgoing and integration exchanges and publishes
 * persistent messages with publisher confirms, as a real producer would. Survives connection drops
 * by republishing what was not confirmed (the connector must treat the copies as duplicates).
 */
public final class FakeVep implements AutoCloseable {

    private final ConnectionFactory factory = new ConnectionFactory();
    private Connection connection;
    private Channel channel;

    public FakeVep() {
        this(TestBroker.host(), TestBroker.port());
    }

    public FakeVep(String host, int port) {
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername("guest");
        factory.setPassword("guest");
        factory.setAutomaticRecoveryEnabled(false);
    }

    private Channel channel() throws IOException {
        try {
            if (channel == null || !channel.isOpen()) {
                if (connection == null || !connection.isOpen()) {
                    connection = factory.newConnection("fake-vep");
                }
                channel = connection.createChannel();
                channel.confirmSelect();
            }
            return channel;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException(e);
        }
    }

    public void declareExchange(String name) throws IOException {
        channel().exchangeDeclare(name, BuiltinExchangeType.TOPIC, true);
    }

    public void deleteExchange(String name) {
        try {
            channel().exchangeDelete(name);
        } catch (IOException e) {
            // already gone
        }
    }

    public void deleteQueue(String name) {
        try {
            channel().queueDelete(name);
        } catch (IOException e) {
            // already gone
        }
    }

    /** Declares a queue bound to {@code exchange} with {@code key}, to watch what the connector publishes. */
    public void bindProbeQueue(String exchange, String queue, String key) throws IOException {
        channel().exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
        channel().queueDeclare(queue, true, false, false, null);
        channel().queueBind(queue, exchange, key);
    }

    /** Messages ready on a queue (published, not delivered to a consumer yet). */
    public long messageCount(String queue) throws IOException {
        return channel().queueDeclarePassive(queue).getMessageCount();
    }

    /** The next message on a queue, or null. */
    public com.rabbitmq.client.GetResponse get(String queue) throws IOException {
        return channel().basicGet(queue, true);
    }

    /** A case that was open before and is opened again by another agent, closed positive, with an empty transcript. */
    public void publishReopenAndClose(String exchange, String caseId, String time) throws IOException {
        publish(exchange, "case.opened", """
                {"eventTime": "2026-11-23T%s.000Z", "caseId": "%s", "agentId": "agent-2", "groupId": "group-1"}""".formatted(time, caseId));
        publish(exchange, "case.closed", """
                {"eventTime": "2026-11-23T%s.100Z", "caseId": "%s", "outcome": "positive"}""".formatted(time, caseId));
        publish(exchange, "case.transcriptClosed", """
                {"eventTime": "2026-11-23T%s.200Z", "caseId": "%s", "transcript": {"messages": []}}""".formatted(time, caseId));
    }

    public void publish(String exchange, String routingKey, String body) throws IOException {
        publish(exchange, routingKey, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Publishes and waits for the broker's confirm, retrying across connection drops. */
    public void publish(String exchange, String routingKey, byte[] body) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 60; attempt++) {
            try {
                Channel ch = channel();
                ch.basicPublish(exchange, routingKey, new AMQP.BasicProperties.Builder()
                        .contentType("application/json").deliveryMode(2).build(), body);
                ch.waitForConfirmsOrDie(10_000);
                return;
            } catch (IOException | com.rabbitmq.client.ShutdownSignalException | java.util.concurrent.TimeoutException | InterruptedException e) {
                last = e instanceof IOException io ? io : new IOException(e);
                channel = null;
                sleepQuietly(250);
            }
        }
        throw last;
    }

    /** Publishes many messages ({routingKey, body} pairs), waiting for the broker's confirms every thousand. */
    public void publishAll(String exchange, java.util.List<String[]> messages) throws IOException {
        Channel ch = channel();
        AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build();
        try {
            int n = 0;
            for (String[] m : messages) {
                ch.basicPublish(exchange, m[0], persistent, m[1].getBytes(StandardCharsets.UTF_8));
                if (++n % 1000 == 0) {
                    ch.waitForConfirmsOrDie(60_000);
                }
            }
            ch.waitForConfirmsOrDie(60_000);
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new IOException(e);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            if (connection != null && connection.isOpen()) {
                connection.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
    }
}
