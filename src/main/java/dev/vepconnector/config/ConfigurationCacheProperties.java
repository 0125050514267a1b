package dev.vepconnector.config;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The configuration caches.
 *
 * @param collectOnStart  publish configuration.agent.collect once the queue is bound, so every agent is known
 * @param collectInterval publish configuration.agent.collect this often as well; unset (the default) means never
 * @param refreshInterval how often changes written by other replicas sharing the database are picked up
 */
@Validated
@ConfigurationProperties("vep.config")
public record ConfigurationCacheProperties(
        @DefaultValue("true") boolean collectOnStart,
        Duration collectInterval,
        @NotNull @DefaultValue("5s") Duration refreshInterval) {
}
