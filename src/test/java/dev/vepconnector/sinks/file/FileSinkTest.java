package dev.vepconnector.sinks.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.sinks.CaseRecordDelivery;
import dev.vepconnector.sinks.RejectedDeliveryException;
import dev.vepconnector.sinks.SinkRetry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSinkTest {

    @TempDir
    Path directory;

    private FileSink sink(boolean pretty) {
        return new FileSink(new FileSinkProperties(true, directory, pretty, true, 1,
                new SinkRetry(3, Duration.ofSeconds(1), Duration.ofMinutes(1), 2.0, 0.2)), new ObjectMapper());
    }

    @Test
    void aLaterRevisionReplacesTheFileAndLeavesNothingElseBehind() throws Exception {
        FileSink sink = sink(false);
        sink.deliver(new CaseRecordDelivery("case-1", 1, "{\"caseId\":\"case-1\",\"revision\":1}", 1));
        sink.deliver(new CaseRecordDelivery("case-1", 2, "{\"caseId\":\"case-1\",\"revision\":2}", 1));

        assertThat(Files.readString(directory.resolve("cases/case-1.json"))).isEqualTo("{\"caseId\":\"case-1\",\"revision\":2}");
        try (Stream<Path> files = Files.list(directory.resolve("cases"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("case-1.json");
        }
    }

    @Test
    void prettyRecordsAreIndented() throws Exception {
        sink(true).deliver(new CaseRecordDelivery("case-2", 1, "{\"caseId\":\"case-2\",\"revision\":1}", 1));

        assertThat(Files.readString(directory.resolve("cases/case-2.json"))).contains("\n  \"revision\" : 1");
    }

    @Test
    void aCaseIdThatIsNoFileNameIsRejected() {
        assertThatThrownBy(() -> sink(false).deliver(new CaseRecordDelivery("../etc/passwd", 1, "{}", 1)))
                .isInstanceOf(RejectedDeliveryException.class);
        assertThat(directory.resolve("etc")).doesNotExist();
    }

    @Test
    void oldTemporaryFilesLeftByAVanishedFolderAreRemovedAtStartButFreshOnesStay() throws Exception {
        Path cases = Files.createDirectories(directory.resolve("cases"));
        Path old = Files.writeString(cases.resolve(".case-3.123.tmp"), "{\"half\":");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        Path fresh = Files.writeString(cases.resolve(".case-4.456.tmp"), "{\"being written\":");
        Path record = Files.writeString(cases.resolve("case-5.json"), "{}");
        Files.setLastModifiedTime(record, FileTime.from(Instant.now().minus(Duration.ofHours(1))));

        sink(false).removeLeftoverTemporaryFiles();

        assertThat(old).doesNotExist();
        assertThat(fresh).exists();
        assertThat(record).exists();
    }
}
