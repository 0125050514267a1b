package dev.vepconnector.simulator;

import dev.vepconnector.api.ApiSecurityProperties;
import dev.vepconnector.ingest.ConnectorProperties;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Tells whoever started the demo where to look, and how to sign in. */
@Component
@Profile("demo")
class DemoGuide {

    private static final Logger log = LoggerFactory.getLogger(DemoGuide.class);

    private final ConnectorProperties connector;
    private final ApiSecurityProperties security;
    private final Path caseRecords;
    private final int brokerPort;
    private final SimulatorProperties simulator;

    DemoGuide(ConnectorProperties connector, ApiSecurityProperties security, @Value("${vep.sinks.file.directory}") Path fileSinkDirectory,
              @Value("${spring.rabbitmq.port}") int brokerPort, SimulatorProperties simulator) {
        this.connector = connector;
        this.simulator = simulator;
        this.security = security;
        this.caseRecords = fileSinkDirectory.resolve("cases").toAbsolutePath().normalize();
        this.brokerPort = brokerPort;
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        int port = ((WebServerApplicationContext) event.getApplicationContext()).getWebServer().getPort();
        log.info("""

                ==================================================================
                 vep-connector demo is running
                   dashboard     http://localhost:{}/{}
                   logins        {} (reads), {} (reads, collects, replays, erases)
                   case records  {}
                   API           http://localhost:{}/api/groups, /api/cases, /api/sinks
                   metrics       http://localhost:{}/actuator/prometheus
                   broker        amqp://guest:guest@localhost:{} (embedded; exchange {})
                   traffic       {}
                 Stop with Ctrl+C.
                ==================================================================""",
                port, security.publicRead() ? " (no login needed to look)" : "", login("viewer", security.viewer()), login("admin", security.admin()),
                caseRecords, port, port, brokerPort, connector.exchange(), traffic());
    }

    private String traffic() {
        String size = simulator.groups() + " queues, " + simulator.agents() + " agents";
        if (simulator.pacing() == SimulatorProperties.Pacing.RATE) {
            return simulator.rate() == 0 ? "as fast as the broker takes it (" + size + ")" : simulator.rate() + " events/s (" + size + ")";
        }
        return "a contact center of " + size + ", " + simulator.speed()
                + (simulator.timeScale() == 1 ? " (--vep.simulator.time-scale=60 plays a minute per second)" : "");
    }

    /**
     * The demo's logins are published: each one's password is its name. A password set otherwise is
     * someone's secret and stays out of the log.
     */
    private static String login(String role, ApiSecurityProperties.User user) {
        if (user.username() == null || user.username().isBlank()) {
            return "no " + role;
        }
        return user.username().equals(user.password()) ? user.username() + "/" + user.password() : user.username() + " (password as configured)";
    }
}
