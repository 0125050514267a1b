package dev.vepconnector.retention;

import dev.vepconnector.retention.RetentionProperties.DataClass;
import dev.vepconnector.storage.StorageDurability;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * What the connector keeps, per class of data: rows, bytes and the age of the oldest row
 * ({@code vep_storage_rows}, {@code vep_storage_bytes}, {@code vep_storage_oldest_age_seconds}, tagged
 * {@code class}), and the database's size ({@code vep_storage_database_bytes}). Measured every
 * {@code vep.retention.stats-interval} rather than at each scrape: counting rows takes a scan.
 */
@Component
public class StoredData {

    private static final Logger log = LoggerFactory.getLogger(StoredData.class);

    /** One class's figures; the age is measured from {@code oldest} at each scrape. */
    public record ClassFigures(long rows, long bytes, Instant oldest) {
        static final ClassFigures NONE = new ClassFigures(0, 0, null);
    }

    private final RetentionStore store;
    private final JdbcTemplate jdbc;
    private final StorageDurability storage;
    private final Clock clock;
    private volatile Map<DataClass, ClassFigures> figures = new EnumMap<>(DataClass.class);
    private volatile long databaseBytes;

    StoredData(RetentionStore store, JdbcTemplate jdbc, StorageDurability storage, Clock clock, MeterRegistry registry) {
        this.store = store;
        this.jdbc = jdbc;
        this.storage = storage;
        this.clock = clock;
        for (DataClass dataClass : DataClass.values()) {
            Gauge.builder("vep.storage.rows", () -> of(dataClass).rows()).tag("class", dataClass.tag())
                    .description("Rows stored, per class of data").register(registry);
            Gauge.builder("vep.storage.bytes", () -> of(dataClass).bytes()).tag("class", dataClass.tag()).baseUnit("bytes")
                    .description("Space the class takes: on PostgreSQL its table's (events and group events split by rows), "
                            + "on the embedded database an estimate from its newest rows")
                    .register(registry);
            Gauge.builder("vep.storage.oldest.age", () -> ageSeconds(dataClass)).tag("class", dataClass.tag()).baseUnit("seconds")
                    .description("Age of the oldest row kept, per class of data (0: none)").register(registry);
        }
        Gauge.builder("vep.storage.database", () -> databaseBytes).baseUnit("bytes")
                .description("Size of the connector's database (the embedded file, or the PostgreSQL database)").register(registry);
    }

    public ClassFigures of(DataClass dataClass) {
        return figures.getOrDefault(dataClass, ClassFigures.NONE);
    }

    public long databaseBytes() {
        return databaseBytes;
    }

    private double ageSeconds(DataClass dataClass) {
        Instant oldest = of(dataClass).oldest();
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
    }

    @Scheduled(fixedDelayString = "${vep.retention.stats-interval:1m}", initialDelay = 2_000)
    void measure() {
        try {
            measureNow();
        } catch (RuntimeException e) {
            log.debug("Could not measure the stored data: {}", e.toString());
        }
    }

    /** Measures every class now. */
    public void measureNow() {
        long caseEvents = store.caseEventRows();
        long stateEvents = store.stateEventRows();
        long records = store.caseRecordRows();
        long deadLetters = store.deadLetterRows();
        Map<DataClass, ClassFigures> next = new EnumMap<>(DataClass.class);
        if (storage.isShared()) {
            long eventBytes = relationBytes("event_log");
            long eventRows = Math.max(1, caseEvents + stateEvents);
            next.put(DataClass.EVENTS, new ClassFigures(caseEvents, eventBytes * caseEvents / eventRows, oldestCaseEvent()));
            next.put(DataClass.GROUP_EVENTS, new ClassFigures(stateEvents, eventBytes * stateEvents / eventRows, oldestStateEvent()));
            next.put(DataClass.CASE_RECORDS, new ClassFigures(records, relationBytes("case_record"), store.oldestRecord().orElse(null)));
            next.put(DataClass.DEAD_LETTERS, new ClassFigures(deadLetters, relationBytes("dead_letter"), store.oldestDeadLetter().orElse(null)));
        } else {
            // H2 can only tell a table's size by walking all of it (seconds for a few hundred MB): estimated
            // from the newest rows instead.
            next.put(DataClass.EVENTS, new ClassFigures(caseEvents, caseEvents * store.recentCaseEventBytes(), oldestCaseEvent()));
            next.put(DataClass.GROUP_EVENTS, new ClassFigures(stateEvents, stateEvents * store.recentStateEventBytes(), oldestStateEvent()));
            next.put(DataClass.CASE_RECORDS, new ClassFigures(records, records * store.recentRecordBytes(), store.oldestRecord().orElse(null)));
            next.put(DataClass.DEAD_LETTERS, new ClassFigures(deadLetters, deadLetters * store.recentDeadLetterBytes(),
                    store.oldestDeadLetter().orElse(null)));
        }
        figures = next;
        databaseBytes = databaseSize();
    }

    private Instant oldestCaseEvent() {
        return store.oldestEvent(RetentionStore.caseRoutingKeys()).orElse(null);
    }

    private Instant oldestStateEvent() {
        return store.oldestEvent(RetentionStore.STATE_ROUTING_KEYS).orElse(null);
    }

    private long relationBytes(String table) {
        return Optional.ofNullable(jdbc.queryForObject("SELECT pg_total_relation_size(?)", Long.class, table)).orElse(0L);
    }

    private long databaseSize() {
        if (storage.isShared()) {
            return Optional.ofNullable(jdbc.queryForObject("SELECT pg_database_size(current_database())", Long.class)).orElse(0L);
        }
        return storage.embeddedFileSize();
    }

}
