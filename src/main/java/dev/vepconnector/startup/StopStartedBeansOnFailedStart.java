package dev.vepconnector.startup;

import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.context.Lifecycle;
import org.springframework.stereotype.Component;

/**
 * Stops a running lifecycle bean when it is destroyed. On an ordinary close Spring has stopped every
 * lifecycle bean before it destroys any, and this does nothing. When the start fails late (a route
 * file Camel cannot create fails after the lifecycle beans started) Spring only destroys the beans:
 * the ingest writer, the sink workers or the simulator's broker connection would keep their threads,
 * and the JVM would never exit. Beans are destroyed users first, so each stops before what it uses.
 */
@Component
class StopStartedBeansOnFailedStart implements DestructionAwareBeanPostProcessor {

    @Override
    public boolean requiresDestruction(Object bean) {
        return bean instanceof Lifecycle;
    }

    @Override
    public void postProcessBeforeDestruction(Object bean, String beanName) {
        if (bean instanceof Lifecycle lifecycle && lifecycle.isRunning()) {
            lifecycle.stop();
        }
    }
}
