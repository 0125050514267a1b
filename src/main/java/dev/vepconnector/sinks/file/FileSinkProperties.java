package dev.vepconnector.sinks.file;

import dev.vepconnector.sinks.SinkRetry;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The file sink: {@code <directory>/cases/<caseId>.json}, the latest revision of each case record.
 *
 * @param enabled   on by default
 * @param directory the root the {@code cases/} folder is created in
 * @param pretty    indented JSON (true) or one line (false)
 * @param fsync     force each record to disk before it counts as delivered (true), or leave that to the
 *                  operating system (false: much faster where every sync also flushes the database's writes,
 *                  but a power loss may lose the last records written)
 * @param concurrency records written at once (of different cases; a case's revisions stay in order): their
 *                  syncs overlap instead of each waiting for the one before, which on a disk with slow
 *                  syncs decides whether the sink keeps up
 * @param retry     retries of failed writes (a full disk, a missing mount)
 */
@Validated
@ConfigurationProperties("vep.sinks.file")
public record FileSinkProperties(
        @DefaultValue("true") boolean enabled,
        @NotNull @DefaultValue("./data/out") Path directory,
        @DefaultValue("true") boolean pretty,
        @DefaultValue("true") boolean fsync,
        @Min(1) @Max(64) @DefaultValue("8") int concurrency,
        @Valid @NotNull @DefaultValue SinkRetry retry) {
}
