package dev.vepconnector.support;

import dev.vepconnector.broker.EmbeddedAmqpBroker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The broker the tests talk to: the RabbitMQ on 127.0.0.1:5672 when one answers (CI), otherwise an
 * embedded Qpid broker started once for the whole run, so the suite passes on a machine with nothing
 * installed. {@code -Dvep.test.broker=embedded} forces the embedded one.
 */
public final class TestBroker {

    private static final String HOST = "127.0.0.1";
    private static final int RABBITMQ_PORT = 5672;
    private static volatile Integer port;
    private static volatile boolean rabbitMq;
    private static volatile EmbeddedAmqpBroker embedded;

    private TestBroker() {
    }

    public static String host() {
        resolve();
        return HOST;
    }

    public static int port() {
        resolve();
        return port;
    }

    /** True when the tests run against a real RabbitMQ (rabbitmqctl can then be used). */
    public static boolean isRabbitMq() {
        resolve();
        return rabbitMq;
    }

    /** The embedded broker, when the tests run on it (null on RabbitMQ). */
    public static EmbeddedAmqpBroker embedded() {
        resolve();
        return embedded;
    }

    /** Runs {@code rabbitmqctl} with these arguments (RabbitMQ only); its output, or an exception when it failed. */
    public static String rabbitmqctl(String... args) {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run rabbitmqctl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted running rabbitmqctl", e);
        }
    }

    private static synchronized void resolve() {
        if (port != null) {
            return;
        }
        if (!"embedded".equals(System.getProperty("vep.test.broker")) && reachable(RABBITMQ_PORT)) {
            rabbitMq = true;
            port = RABBITMQ_PORT;
        } else {
            System.out.println("[TestBroker] no RabbitMQ on " + HOST + ":" + RABBITMQ_PORT + "; using the embedded AMQP broker");
            embedded = EmbeddedAmqpBroker.start(0, null);
            Runtime.getRuntime().addShutdownHook(new Thread(embedded::close));
            port = embedded.port();
        }
    }

    private static boolean reachable(int candidate) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, candidate), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
