package dev.vepconnector.ingest;

import java.net.InetAddress;
import org.springframework.amqp.rabbit.connection.ConnectionNameStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Names the broker connection after the connector, its host and its queue, so VEP's operators (and
 * ours) can tell in the broker's connection list which Partner System replica a connection is.
 */
@Configuration(proxyBeanMethods = false)
class BrokerConnectionNaming {

    @Bean
    ConnectionNameStrategy vepConnectionNameStrategy(ConnectorProperties properties) {
        String host = hostName();
        return connectionFactory -> "vep-connector@" + host + " queue=" + properties.queue();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown-host";
        }
    }
}
