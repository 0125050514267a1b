package dev.vepconnector.sinks.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.sinks.CaseRecordDelivery;
import dev.vepconnector.sinks.CaseRecordSink;
import dev.vepconnector.sinks.RejectedDeliveryException;
import dev.vepconnector.sinks.SinkRetry;
import jakarta.annotation.PostConstruct;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Writes each case record to {@code <directory>/cases/<caseId>.json}, replacing the previous revision
 * atomically: the record is written and synced to a temporary file in the same folder, then renamed
 * over the old one, so a reader never sees a half-written file.
 */
@Component
@ConditionalOnProperty(prefix = "vep.sinks.file", name = "enabled", havingValue = "true", matchIfMissing = true)
class FileSink implements CaseRecordSink {

    /** Case ids become file names: anything but a plain id could escape the folder. */
    private static final Logger log = LoggerFactory.getLogger(FileSink.class);
    private static final String TEMP_SUFFIX = ".tmp";
    private static final Duration LEFTOVER_AGE = Duration.ofMinutes(10);
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    private final FileSinkProperties properties;
    private final ObjectMapper json;
    private final Path cases;

    FileSink(FileSinkProperties properties, ObjectMapper json) {
        this.properties = properties;
        this.json = json;
        this.cases = properties.directory().resolve("cases");
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public SinkRetry retry() {
        return properties.retry();
    }

    @Override
    public int concurrency() {
        return properties.concurrency();
    }

    @Override
    public void deliver(CaseRecordDelivery delivery) throws IOException, RejectedDeliveryException {
        if (!SAFE_ID.matcher(delivery.caseId()).matches() || delivery.caseId().contains("..")) {
            throw new RejectedDeliveryException("case id " + delivery.caseId() + " is not usable as a file name");
        }
        Files.createDirectories(cases);
        Path target = cases.resolve(delivery.caseId() + ".json");
        Path temp = Files.createTempFile(cases, "." + delivery.caseId() + ".", TEMP_SUFFIX);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer content = ByteBuffer.wrap(content(delivery));
                while (content.hasRemaining()) {
                    channel.write(content);
                }
                if (properties.fsync()) {
                    channel.force(true);
                }
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Removes temporary files a write left behind when the folder vanished under it (an unmounted
     * volume): the delivery was retried, so they are leftovers. Only old ones go, since replicas
     * sharing the volume may be writing right now.
     */
    @PostConstruct
    void removeLeftoverTemporaryFiles() {
        if (!Files.isDirectory(cases)) {
            return;
        }
        Instant before = Instant.now().minus(LEFTOVER_AGE);
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(cases, ".*" + TEMP_SUFFIX)) {
            for (Path temp : temps) {
                if (Files.getLastModifiedTime(temp).toInstant().isBefore(before) && Files.deleteIfExists(temp)) {
                    log.info("Removed a leftover temporary file {}", temp.getFileName());
                }
            }
        } catch (IOException e) {
            log.warn("Could not look for leftover temporary files in {}: {}", cases, e.toString());
        }
    }

    private byte[] content(CaseRecordDelivery delivery) throws IOException {
        if (!properties.pretty()) {
            return delivery.json().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        JsonNode record = json.readTree(delivery.json());
        return json.writerWithDefaultPrettyPrinter().writeValueAsBytes(record);
    }
}
