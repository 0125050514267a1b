package dev.vepconnector.sinks.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.sinks.CaseRecordDelivery;
import dev.vepconnector.sinks.CaseRecordSink;
import dev.vepconnector.sinks.RejectedDeliveryException;
import dev.vepconnector.sinks.SinkRetry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;
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
    public void deliver(CaseRecordDelivery delivery) throws IOException, RejectedDeliveryException {
        if (!SAFE_ID.matcher(delivery.caseId()).matches() || delivery.caseId().contains("..")) {
            throw new RejectedDeliveryException("case id " + delivery.caseId() + " is not usable as a file name");
        }
        Files.createDirectories(cases);
        Path target = cases.resolve(delivery.caseId() + ".json");
        Path temp = Files.createTempFile(cases, "." + delivery.caseId() + ".", ".tmp");
        try {
            Files.write(temp, content(delivery));
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
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
