package dev.vepconnector.storage;

import dev.vepconnector.startup.CannotStartException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Watches the free space of the file system holding {@code vep.data-directory}, where the embedded
 * database and the file sink's records live. A database that meets a full disk fails its writes
 * (H2 closes itself until every connection is replaced), so below {@code vep.storage.free-space-minimum}
 * the connector stops taking messages before that can happen: the ingest consumer and the inbox's
 * processing follow {@link #takesMessages()} and are told of each change by a {@link DataDiskChanged}.
 * Messages then wait on the broker, unacknowledged or not yet delivered, and nothing stored is touched.
 * Reported as the {@code dataDisk} health component (part of readiness: out of service while stopped)
 * and as {@code vep_storage_free_bytes}, {@code vep_storage_total_bytes} and {@code vep_storage_low_disk}.
 */
@Component("dataDisk")
public class DataDisk implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(DataDisk.class);

    private final Path folder;
    private final DiskSpace space;
    private final DataDiskStatus status;
    private final ApplicationEventPublisher events;

    @Autowired
    DataDisk(StorageProperties properties, @Value("${vep.data-directory:./data}") Path folder, MeterRegistry registry,
             ApplicationEventPublisher events, Clock clock) {
        this(properties, folder, DiskSpace.fileSystem(), registry, events, clock);
    }

    DataDisk(StorageProperties properties, Path folder, DiskSpace space, MeterRegistry registry, ApplicationEventPublisher events,
             Clock clock) {
        if (properties.freeSpaceCheckInterval().compareTo(Duration.ZERO) <= 0) {
            throw new CannotStartException("vep.storage.free-space-check-interval is " + properties.freeSpaceCheckInterval()
                    + "; the free space would never be checked", "Set it to a positive duration, e.g. 1s (the default)");
        }
        this.folder = folder;
        this.space = space;
        this.events = events;
        this.status = new DataDiskStatus(folder, properties.freeSpaceWarning(), properties.freeSpaceMinimum(), clock);
        gauge(registry, "vep.storage.free", "bytes", "Free space on the file system of vep.data-directory (usable by the connector)",
                s -> s.last() == null ? Double.NaN : s.last().usableBytes());
        gauge(registry, "vep.storage.total", "bytes", "Size of the file system of vep.data-directory",
                s -> s.last() == null ? Double.NaN : s.last().totalBytes());
        gauge(registry, "vep.storage.low.disk", null, "0 ok, 1 below vep.storage.free-space-warning, 2 below "
                + "vep.storage.free-space-minimum (taking no messages)", s -> s.state().level());
        // Known before anything consumes: a start on a full disk takes no message at all.
        read();
    }

    private void gauge(MeterRegistry registry, String name, String unit, String description, ToDoubleFunction<DataDiskStatus> value) {
        Gauge.builder(name, status, value).baseUnit(unit).description(description).strongReference(true).register(registry);
    }

    /** Reads the free space and tells the consumers when the state changed. */
    @Scheduled(fixedDelayString = "${vep.storage.free-space-check-interval:1s}", initialDelayString = "${vep.storage.free-space-check-interval:1s}")
    public void check() {
        DataDiskState before = status.state();
        read();
        DataDiskState now = status.state();
        if (now != before) {
            events.publishEvent(new DataDiskChanged(now));
        }
    }

    private void read() {
        DataDiskStatus.Line line;
        try {
            line = status.update(space.read(folder));
        } catch (IOException | RuntimeException e) {
            line = status.unreadable(e.toString());
        }
        if (line != null) {
            log.atLevel(line.level()).log(line.text());
        }
    }

    /** False below {@code vep.storage.free-space-minimum}: take no messages off the broker, process none of the inbox. */
    public boolean takesMessages() {
        return status.state() != DataDiskState.STOPPED;
    }

    public DataDiskState state() {
        return status.state();
    }

    @Override
    public Health health() {
        Health.Builder health = status.state() == DataDiskState.STOPPED ? Health.outOfService() : Health.up();
        return health.withDetails(status.details()).build();
    }
}
