package dev.vepconnector.ingest;

import dev.vepconnector.startup.CannotStartException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.amqp.RabbitProperties;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * What the {@code production} profile promises, checked before anything connects; the connector
 * refuses to start otherwise. VEP's broker speaks TLS only (interface 6.9) and credentials must
 * never cross a network in plaintext: TLS on, verified against a configured CA (an SSL bundle).
 * State lives in PostgreSQL, which several replicas share, not in a pod's embedded database.
 */
@Component
@Profile("production")
class ProductionProfileGuard {

    ProductionProfileGuard(RabbitProperties rabbit, DataSourceProperties dataSource) {
        List<String> problems = new ArrayList<>();
        RabbitProperties.Ssl ssl = rabbit.getSsl();
        if (!Boolean.TRUE.equals(ssl.getEnabled())) {
            problems.add("spring.rabbitmq.ssl.enabled must be true");
        }
        if (ssl.getBundle() == null || ssl.getBundle().isBlank()) {
            problems.add("spring.rabbitmq.ssl.bundle must name an SSL bundle holding the broker's CA");
        }
        if (!ssl.isValidateServerCertificate()) {
            problems.add("spring.rabbitmq.ssl.validate-server-certificate must not be false");
        }
        if (!ssl.isVerifyHostname()) {
            problems.add("spring.rabbitmq.ssl.verify-hostname must not be false");
        }
        String url = dataSource.getUrl();
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            problems.add("spring.datasource.url must point at PostgreSQL (jdbc:postgresql://...), not the embedded database");
        }
        if (!problems.isEmpty()) {
            throw new CannotStartException("The production profile requires TLS to the broker, verified against a configured CA, "
                    + "and PostgreSQL: " + String.join("; ", problems),
                    "Set these properties, or start without the production profile.");
        }
    }
}
