package dev.vepconnector.broker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * An AMQP 0-9-1 broker inside the connector ({@code vep.embedded-broker.enabled}, on in the demo
 * profile), on {@code spring.rabbitmq.port} so the connector and the simulator find it where they
 * look for RabbitMQ. It starts while the rest of the application is still being created, is up
 * before the broker connection factory is handed to anything, and is stopped with the application.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "vep.embedded-broker", name = "enabled", havingValue = "true")
class EmbeddedBrokerConfiguration {

    /** A post-processor is created before ordinary beans, so the broker's start overlaps theirs. */
    @Bean
    static EmbeddedBrokerStart embeddedAmqpBroker(Environment environment) {
        return new EmbeddedBrokerStart(environment.getProperty("spring.rabbitmq.port", Integer.class, 5673));
    }

    static final class EmbeddedBrokerStart implements BeanPostProcessor, DisposableBean {

        private static final Logger log = LoggerFactory.getLogger(EmbeddedAmqpBroker.class);

        private final CompletableFuture<EmbeddedAmqpBroker> broker;

        EmbeddedBrokerStart(int port) {
            // A thread of its own: the broker's start (a second on 2 cores) runs beside the context's
            // creation on the main thread, before any Spring executor exists.
            broker = new CompletableFuture<>();
            Thread starter = new Thread(() -> {
                try {
                    broker.complete(EmbeddedAmqpBroker.start(port, null));
                } catch (RuntimeException e) {
                    broker.completeExceptionally(e);
                }
            }, "embedded-broker-start");
            starter.setDaemon(true);
            starter.start();
        }

        @Override
        public Object postProcessBeforeInitialization(Object bean, String beanName) {
            if (bean instanceof ConnectionFactory) {
                EmbeddedAmqpBroker started = awaitStarted();
                log.info("Embedded AMQP broker listening on 127.0.0.1:{}", started.port());
            }
            return bean;
        }

        private EmbeddedAmqpBroker awaitStarted() {
            try {
                return broker.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }

        /** A post-processor is registered before every bean that connects to the broker, so it is destroyed after all of them. */
        @Override
        public void destroy() {
            if (!broker.isCompletedExceptionally()) {
                awaitStarted().close();
                log.info("Embedded AMQP broker stopped");
            }
        }
    }
}
