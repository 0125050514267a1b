package dev.vepconnector.ingest;

import com.rabbitmq.client.ShutdownSignalException;
import org.apache.commons.logging.Log;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The connection factory logs, as an ERROR, every channel the broker closes. When the broker refuses
 * the queue's declaration or binding, that would be once per retry; {@link BrokerTopology} reports it
 * once, with what to do. Other refusals are reported where they happen too (the agent collect command,
 * the listener container), so the factory logs them at debug level only; every other close as before.
 */
@Configuration(proxyBeanMethods = false)
class BrokerChannelCloseLogging {

    @Bean
    static BeanPostProcessor refusalsLeftToTheirCallers() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof AbstractConnectionFactory factory) {
                    factory.setCloseExceptionLogger(new RefusalsAtDebugLevel());
                }
                return bean;
            }
        };
    }

    static final class RefusalsAtDebugLevel extends AbstractConnectionFactory.DefaultChannelCloseLogger {

        @Override
        public void log(Log logger, String message, Throwable t) {
            if (t instanceof ShutdownSignalException signal && BrokerFailures.isRefusal(signal)) {
                logger.debug(message + ": " + signal.getMessage());
            } else {
                super.log(logger, message, t);
            }
        }
    }
}
