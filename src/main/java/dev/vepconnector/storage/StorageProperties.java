package dev.vepconnector.storage;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The connector's own storage.
 *
 * @param syncInterval how often the embedded database's file is forced to disk; 0 leaves it to the
 *                     operating system. (Ignored for PostgreSQL, whose commits are on disk already.)
 */
@Validated
@ConfigurationProperties("vep.storage")
public record StorageProperties(@NotNull @DefaultValue("1s") Duration syncInterval) {
}
