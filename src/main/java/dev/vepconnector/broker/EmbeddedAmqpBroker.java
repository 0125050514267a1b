package dev.vepconnector.broker;

import dev.vepconnector.startup.CannotStartException;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.SystemLauncherListener;
import org.apache.qpid.server.model.Broker;
import org.apache.qpid.server.model.BrokerImpl;
import org.apache.qpid.server.model.Port;
import org.apache.qpid.server.model.SystemConfig;
import org.apache.qpid.server.model.port.AmqpPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An AMQP 0-9-1 broker in this JVM (Apache Qpid Broker-J, in-memory), so the demo and the tests run
 * where no RabbitMQ is installed. One user guest/guest, one virtual host reachable as "/" or by any
 * name. Optionally a second, TLS-only port with a PKCS#12 server key store.
 */
public final class EmbeddedAmqpBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedAmqpBroker.class);
    private static final String PLAIN_PORT = "AMQP";
    private static final String TLS_PORT = "AMQPS";

    /** A server key store (PKCS#12) for the TLS port. */
    public record TlsKeyStore(Path pkcs12, String password) {
    }

    private final SystemLauncher launcher;
    private final Broker<?> broker;
    private final Path workDir;
    private final int port;
    private final Integer tlsPort;

    private EmbeddedAmqpBroker(SystemLauncher launcher, Path workDir, SystemConfig<?> systemConfig) {
        this.launcher = launcher;
        this.workDir = workDir;
        this.broker = (Broker<?>) systemConfig.getContainer(Broker.class);
        this.port = boundPort(broker, PLAIN_PORT);
        this.tlsPort = broker.getChildByName(Port.class, TLS_PORT) == null ? null : boundPort(broker, TLS_PORT);
    }

    /** Starts a broker on {@code port} (0 picks a free one), with a TLS port too when a key store is given. */
    public static EmbeddedAmqpBroker start(int port, TlsKeyStore tls) {
        refuseAPortInUse(port);
        try {
            Path workDir = Files.createTempDirectory("vep-embedded-broker");
            Path config = workDir.resolve("initial-config.json");
            Files.writeString(config, initialConfiguration(port, tls));
            Map<String, Object> attributes = new HashMap<>();
            attributes.put(SystemConfig.TYPE, "Memory");
            attributes.put(SystemConfig.INITIAL_CONFIGURATION_LOCATION, config.toUri().toString());
            // Qpid's default is a classpath: URL, a protocol the JVM only knows when Qpid is on the system
            // class path, which it is not inside the executable jar.
            Path systemProperties = Files.writeString(workDir.resolve("system.properties"), "");
            attributes.put(SystemConfig.INITIAL_SYSTEM_PROPERTIES_LOCATION, systemProperties.toUri().toString());
            attributes.put(SystemConfig.STARTUP_LOGGED_TO_SYSTEM_OUT, false);
            attributes.put(SystemConfig.CONTEXT, Map.of("qpid.work_dir", workDir.toString(), "qpid.broker.defaultPreferenceStoreAttributes", "{\"type\": \"Noop\"}"));
            var resolved = new java.util.concurrent.atomic.AtomicReference<SystemConfig<?>>();
            SystemLauncher launcher = new SystemLauncher(new SystemLauncherListener.DefaultSystemLauncherListener() {
                @Override
                public void onContainerResolve(SystemConfig<?> systemConfig) {
                    resolved.set(systemConfig);
                }
            });
            launcher.startup(attributes);
            EmbeddedAmqpBroker broker = new EmbeddedAmqpBroker(launcher, workDir, resolved.get());
            broker.leaveClosingToTheOwner();
            return broker;
        } catch (Exception e) {
            throw new IllegalStateException("The embedded AMQP broker did not start: " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    /** The TLS port, or null when started without a key store. */
    public Integer tlsPort() {
        return tlsPort;
    }

    /** Closes every client connection from the broker side, as a broker restart or an operator would. */
    public int closeAllConnections() {
        int closed = 0;
        for (Object child : broker.getChildren(org.apache.qpid.server.model.VirtualHostNode.class)) {
            org.apache.qpid.server.model.VirtualHost<?> host = ((org.apache.qpid.server.model.VirtualHostNode<?>) child).getVirtualHost();
            if (host != null) {
                for (org.apache.qpid.server.model.Connection<?> connection : List.copyOf(host.getConnections())) {
                    connection.delete();
                    closed++;
                }
            }
        }
        return closed;
    }

    @Override
    public void close() {
        launcher.shutdown();
        try (var files = Files.walk(workDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }

    /**
     * Qpid logs a port it cannot bind as an error with a stack trace and starts without it, so the
     * connector would only fail later, unable to connect. Checked first, it is one clear reason.
     */
    private static void refuseAPortInUse(int port) {
        if (port == 0) {
            return;
        }
        try {
            new ServerSocket(port).close();
        } catch (IOException e) {
            throw new CannotStartException("The embedded AMQP broker cannot listen on port " + port + ": " + e.getMessage(),
                    "Stop what uses port " + port + ", or set spring.rabbitmq.port to a free port.");
        }
    }

    /**
     * Qpid closes its broker from a JVM shutdown hook of its own, which runs alongside the application's
     * and so closes the broker while the connector's consumers and the simulator still use it (their
     * shutdown then waits for answers that never come). Whoever started the broker closes it instead:
     * the Spring context after every bean that talks to it, a test when it is done.
     */
    private void leaveClosingToTheOwner() {
        try {
            Field hook = BrokerImpl.class.getDeclaredField("_shutdownHook");
            hook.setAccessible(true);
            Runtime.getRuntime().removeShutdownHook((Thread) hook.get(broker));
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("The embedded broker keeps its own shutdown hook ({}): on exit it may stop before the connector's consumers", e.toString());
        }
    }

    private static int boundPort(Broker<?> broker, String name) {
        return ((AmqpPort<?>) broker.getChildByName(Port.class, name)).getBoundPort();
    }

    private static String initialConfiguration(int port, TlsKeyStore tls) {
        String aliases = """
                "virtualhostaliases": [ {"name": "nameAlias", "type": "nameAlias"},
                  {"name": "defaultAlias", "type": "defaultAlias"}, {"name": "hostnameAlias", "type": "hostnameAlias"} ]""";
        String tlsPort = tls == null ? "" : """
                , {"name": "%s", "port": "0", "bindingAddress": "127.0.0.1", "authenticationProvider": "plain",
                   "protocols": ["AMQP_0_9_1"], "transports": ["SSL"], "keyStore": "serverKeyStore", %s}"""
                .formatted(TLS_PORT, aliases);
        String keyStores = tls == null ? "" : """
                "keystores": [ {"name": "serverKeyStore", "type": "FileKeyStore", "storeUrl": "%s",
                   "password": "%s", "keyStoreType": "PKCS12"} ],"""
                .formatted(tls.pkcs12().toUri(), tls.password());
        return """
                {
                  "name": "vep-embedded-broker",
                  "modelVersion": "9.1",
                  %s
                  "authenticationproviders": [ {"name": "plain", "type": "Plain", "secureOnlyMechanisms": [],
                     "users": [ {"name": "guest", "type": "managed", "password": "guest"} ] } ],
                  "ports": [ {"name": "%s", "port": "%d", "authenticationProvider": "plain",
                     "protocols": ["AMQP_0_9_1"], %s } %s ],
                  "virtualhostnodes": [ {"name": "default", "type": "Memory", "defaultVirtualHostNode": "true",
                     "virtualHostInitialConfiguration": "{\\"type\\": \\"Memory\\"}"} ]
                }
                """.formatted(keyStores, PLAIN_PORT, port, aliases, tlsPort);
    }
}
