package dev.vepconnector.broker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * An AMQP 0-9-1 broker inside the connector ({@code vep.embedded-broker.enabled}, on in the demo
 * profile), on {@code spring.rabbitmq.port} so the connector and the simulator find it where they
 * look for RabbitMQ. It is started before any bean can connect to it and stopped with the application.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "vep.embedded-broker", name = "enabled", havingValue = "true")
class EmbeddedBrokerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedBrokerConfiguration.class);

    /** A post-processor runs before ordinary beans are created, so the broker is up before the first connection. */
    @Bean
    static BeanFactoryPostProcessor embeddedAmqpBroker(Environment environment) {
        return (ConfigurableListableBeanFactory beanFactory) -> {
            int port = environment.getProperty("spring.rabbitmq.port", Integer.class, 5673);
            EmbeddedAmqpBroker broker = EmbeddedAmqpBroker.start(port, null);
            beanFactory.registerSingleton("embeddedAmqpBrokerInstance", broker);
            if (beanFactory instanceof org.springframework.beans.factory.support.DefaultListableBeanFactory registry) {
                // Registered before any bean that connects to it, so destroyed after all of them.
                registry.registerDisposableBean("embeddedAmqpBrokerInstance", () -> {
                    broker.close();
                    log.info("Embedded AMQP broker stopped");
                });
            }
            log.info("Embedded AMQP broker listening on 127.0.0.1:{}", broker.port());
        };
    }
}
