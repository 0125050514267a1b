package dev.vepconnector.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vepconnector.startup.CannotStartException;
import dev.vepconnector.support.SettableClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

/** The data folder's free space against the warning and the minimum, read from a fake file system. */
class DataDiskTest {

    private static final long MB = 1024 * 1024;
    private static final Path FOLDER = Path.of("/var/lib/vep");

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-23T09:00:00Z"));
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final List<Object> events = new ArrayList<>();
    private long free = 5000 * MB;
    private IOException unreadable;

    /** Warning 1000 MB, minimum 200 MB: going back up takes a tenth of the gap, 80 MB. */
    private DataDisk disk() {
        return new DataDisk(properties("1000MB", "200MB", "1s"), FOLDER, this::read, registry, events::add, clock);
    }

    private DiskSpace.Reading read(Path folder) throws IOException {
        assertThat(folder).isEqualTo(FOLDER);
        if (unreadable != null) {
            throw unreadable;
        }
        return new DiskSpace.Reading(free, 10_000 * MB);
    }

    private DataDisk at(long freeMb, DataDisk disk) {
        free = freeMb * MB;
        disk.check();
        return disk;
    }

    @Test
    void theDefaultsAreAGigabyteToWarnAndAQuarterOfOneToStop() {
        StorageProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("vep.storage", StorageProperties.class);
        assertThat(defaults.freeSpaceWarning()).isEqualTo(DataSize.ofGigabytes(1));
        assertThat(defaults.freeSpaceMinimum()).isEqualTo(DataSize.ofMegabytes(256));
        assertThat(defaults.freeSpaceCheckInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aMinimumNotBelowTheWarningEndsTheStartSayingWhichSettings() {
        assertThatThrownBy(() -> new DataDisk(properties("1GB", "1GB", "1s"), FOLDER, this::read, registry, events::add, clock))
                .isInstanceOf(CannotStartException.class)
                .hasMessage("vep.storage.free-space-minimum (1.0 GB) must be at least 0 and below vep.storage.free-space-warning (1.0 GB)");
        assertThatThrownBy(() -> new DataDisk(properties("1GB", "-1MB", "1s"), FOLDER, this::read, registry, events::add, clock))
                .isInstanceOf(CannotStartException.class).hasMessageContaining("at least 0");
        assertThatThrownBy(() -> new DataDisk(properties("1GB", "256MB", "0s"), FOLDER, this::read, registry, events::add, clock))
                .isInstanceOf(CannotStartException.class).hasMessageContaining("vep.storage.free-space-check-interval");
    }

    @Test
    void withRoomItTakesMessagesAndTheGaugesShowTheFileSystem() {
        DataDisk disk = disk();
        assertThat(disk.takesMessages()).isTrue();
        assertThat(disk.health().getStatus()).isEqualTo(Status.UP);
        assertThat(disk.health().getDetails()).containsEntry("state", "OK").containsEntry("free", "4.9 GB")
                .containsEntry("freeBytes", 5000 * MB).containsEntry("warning", "1000 MB").containsEntry("minimum", "200 MB")
                .containsEntry("path", FOLDER.toString()).doesNotContainKey("problem");
        assertThat(registry.get("vep.storage.free").gauge().value()).isEqualTo(5000.0 * MB);
        assertThat(registry.get("vep.storage.total").gauge().value()).isEqualTo(10_000.0 * MB);
        assertThat(registry.get("vep.storage.low.disk").gauge().value()).isZero();
    }

    @Test
    void belowTheWarningItSaysSoOnceAndWorksOn() {
        DataDisk disk = at(999, disk());
        assertThat(disk.takesMessages()).isTrue();
        Health health = disk.health();
        assertThat(health.getStatus()).as("still ready: it works on").isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("state", "WARNING");
        assertThat(String.valueOf(health.getDetails().get("problem"))).contains("below vep.storage.free-space-warning",
                "Free space on the file system of " + FOLDER);
        assertThat(registry.get("vep.storage.low.disk").gauge().value()).isEqualTo(1);
        at(900, disk);
        assertThat(events).as("told once, when it crossed").containsExactly(new DataDiskChanged(DataDiskState.WARNING));
    }

    @Test
    void belowTheMinimumItTakesNoMessagesUntilFreeSpaceIsBackAboveItByTheMargin() {
        DataDisk disk = at(199, disk());
        assertThat(disk.takesMessages()).isFalse();
        assertThat(disk.health().getStatus()).as("readiness out of service").isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(String.valueOf(disk.health().getDetails().get("problem"))).contains("no messages are taken off the broker",
                "above 280 MB again", "expire");
        assertThat(registry.get("vep.storage.low.disk").gauge().value()).isEqualTo(2);

        assertThat(at(279, disk).takesMessages()).as("within the margin").isFalse();
        assertThat(at(281, disk).takesMessages()).isTrue();
        assertThat(disk.state()).as("still below the warning").isEqualTo(DataDiskState.WARNING);
        assertThat(at(1079, disk).state()).as("within the warning's margin").isEqualTo(DataDiskState.WARNING);
        assertThat(at(1081, disk).state()).isEqualTo(DataDiskState.OK);
        assertThat(events).extracting(e -> ((DataDiskChanged) e).state())
                .containsExactly(DataDiskState.STOPPED, DataDiskState.WARNING, DataDiskState.OK);
    }

    @Test
    void aStartOnAFullDiskTakesNoMessageAtAll() {
        free = 10 * MB;
        DataDisk disk = disk();
        assertThat(disk.takesMessages()).isFalse();
        assertThat(disk.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
    }

    @Test
    void aMinimumOfZeroNeverStops() {
        DataDisk disk = new DataDisk(properties("1GB", "0B", "1s"), FOLDER, this::read, registry, events::add, clock);
        assertThat(at(0, disk).takesMessages()).isTrue();
        assertThat(disk.state()).isEqualTo(DataDiskState.WARNING);
        assertThat(String.valueOf(disk.health().getDetails().get("problem"))).contains("does not stop: a full disk fails the database's writes");
    }

    @Test
    void anUnreadableFileSystemKeepsTheStateAndSaysWhy() {
        DataDisk disk = at(150, disk());
        unreadable = new IOException("stale file handle");
        disk.check();
        assertThat(disk.takesMessages()).as("kept").isFalse();
        assertThat(String.valueOf(disk.health().getDetails().get("problem"))).contains("cannot read the free space", "stale file handle");
        unreadable = null;
        assertThat(at(2000, disk).takesMessages()).isTrue();
        assertThat(disk.health().getDetails()).doesNotContainKey("problem");
    }

    @Test
    void eachCrossingIsOneLineSayingTheFreeSpaceTheThresholdAndWhatToDo() {
        DataDiskStatus status = new DataDiskStatus(FOLDER, DataSize.ofMegabytes(1000), DataSize.ofMegabytes(200), clock);
        DataDiskStatus.Line warning = status.update(reading(900));
        assertThat(warning.level()).isEqualTo(Level.WARN);
        assertThat(warning.text()).isEqualTo("Free space on vep.data-directory (" + FOLDER + ") is 900 MB of 9.8 GB, below "
                + "vep.storage.free-space-warning (1000 MB); below 200 MB (vep.storage.free-space-minimum) the connector stops "
                + "taking messages. Free space on the file system of " + FOLDER + " (files of other programs, old logs) or give "
                + "it a bigger volume");
        assertThat(status.update(reading(850))).as("no line while it stays").isNull();

        DataDiskStatus.Line stopped = status.update(reading(150));
        assertThat(stopped.level()).isEqualTo(Level.WARN);
        assertThat(stopped.text()).startsWith("Free space on vep.data-directory (" + FOLDER + ") is 150 MB of 9.8 GB, below "
                        + "vep.storage.free-space-minimum (200 MB): stopped taking messages off the broker")
                .endsWith("it takes messages again by itself above 280 MB");
        assertThat(status.update(reading(10))).isNull();

        clock.advance(Duration.ofMinutes(7));
        DataDiskStatus.Line resumed = status.update(reading(2000));
        assertThat(resumed.level()).isEqualTo(Level.INFO);
        assertThat(resumed.text()).startsWith("Free space on vep.data-directory (" + FOLDER + ") is back to 2.0 GB (below "
                + "vep.storage.free-space-minimum since ").endsWith("): taking messages again");
    }

    @Test
    void aFileSystemSmallerThanTheWarningIsToldAsSuch() {
        DataDiskStatus status = new DataDiskStatus(FOLDER, DataSize.ofGigabytes(1), DataSize.ofMegabytes(256), clock);
        assertThat(status.update(new DiskSpace.Reading(100 * MB, 500 * MB)).text())
                .contains("The whole file system (500 MB) is smaller than vep.storage.free-space-warning");
    }

    private static DiskSpace.Reading reading(long freeMb) {
        return new DiskSpace.Reading(freeMb * MB, 10_000 * MB);
    }

    private static StorageProperties properties(String warning, String minimum, String interval) {
        return new StorageProperties(Duration.ofSeconds(1), Duration.ofMillis(50), DataSize.parse(warning), DataSize.parse(minimum), Duration.parse("PT" + interval));
    }
}
