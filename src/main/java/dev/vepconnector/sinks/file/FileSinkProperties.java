package dev.vepconnector.sinks.file;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The file sink ({@code routes/sink-file.yaml}): {@code <directory>/cases/<caseId>.json}, the latest
 * revision of each case record. {@code enabled}, {@code concurrency} and {@code retry} are every sink's
 * ({@code vep.sinks.<name>.*}).
 *
 * @param directory the root the {@code cases/} folder is created in
 * @param pretty    indented JSON (true) or one line (false)
 * @param fsync     force each record to disk before it counts as delivered (true), or leave that to the
 *                  operating system (false: much faster where every sync also flushes the database's writes,
 *                  but a power loss may lose the last records written)
 */
@Validated
@ConfigurationProperties("vep.sinks.file")
public record FileSinkProperties(
        @NotNull @DefaultValue("./data/out") Path directory,
        @DefaultValue("true") boolean pretty,
        @DefaultValue("true") boolean fsync) {
}
