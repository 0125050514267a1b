package dev.vepconnector.config;

import dev.vepconnector.events.ConfigurationEvent;
import dev.vepconnector.events.EntityKind;
import dev.vepconnector.events.ReadResult;
import dev.vepconnector.events.VepEventReader;
import dev.vepconnector.ingest.EventLog;
import dev.vepconnector.ingest.StoredEvent;
import dev.vepconnector.ingest.VepEventHandler;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The configuration caches (interface 7.3): every configured agent, group, opportunity, solution and
 * case type, merged from its events and kept in the database; an in-memory copy answers lookups.
 *
 * <p>Events of an entity are merged in eventTime order from the event log, so a partial or late event
 * lands where it belongs whatever order it arrived in. The in-memory copy takes this replica's changes
 * when they commit and other replicas' changes at the next refresh.
 */
@Component
@Order(10)
public class ConfigurationCaches implements EntityDirectory, VepEventHandler {

    private static final Logger log = LoggerFactory.getLogger(ConfigurationCaches.class);

    private record Key(EntityKind kind, String id) {
    }

    private static final Comparator<Key> LOCK_ORDER = Comparator.comparing(Key::kind).thenComparing(Key::id);

    private final ConfigurationStore store;
    private final EventLog eventLog;
    private final Clock clock;
    private final VepEventReader reader = new VepEventReader();
    private final Map<Key, ConfigurationStore.Versioned> entries = new ConcurrentHashMap<>();
    private final AtomicLong seenVersion = new AtomicLong();
    private volatile long previousRefreshVersion;

    ConfigurationCaches(ConfigurationStore store, EventLog eventLog, Clock clock) {
        this.store = store;
        this.eventLog = eventLog;
        this.clock = clock;
        refresh();
        log.info("Configuration caches loaded: {} entities", entries.size());
    }

    @Override
    public EntityRef ref(EntityKind kind, String id) {
        if (id == null) {
            return null;
        }
        ConfigurationStore.Versioned entry = lookup(new Key(kind, id));
        return entry == null ? EntityRef.unknown(id) : entry.entity().toRef();
    }

    @Override
    public AgentRef agent(String id) {
        if (id == null) {
            return null;
        }
        ConfigurationStore.Versioned entry = lookup(new Key(EntityKind.AGENT, id));
        return entry == null ? AgentRef.unknown(id) : entry.entity().toAgentRef();
    }

    public Optional<ConfiguredEntity> find(EntityKind kind, String id) {
        return Optional.ofNullable(lookup(new Key(kind, id))).map(ConfigurationStore.Versioned::entity);
    }

    public List<ConfiguredEntity> all(EntityKind kind) {
        return entries.values().stream().map(ConfigurationStore.Versioned::entity).filter(e -> e.kind() == kind)
                .sorted(Comparator.comparing(ConfiguredEntity::id)).toList();
    }

    Collection<ConfiguredEntity> entries() {
        return entries.values().stream().map(ConfigurationStore.Versioned::entity).toList();
    }

    @Override
    public void apply(List<StoredEvent> events) {
        // Rows are locked in one global order so that replicas merging overlapping batches cannot deadlock.
        TreeMap<Key, Boolean> touched = new TreeMap<>(LOCK_ORDER);
        for (StoredEvent stored : events) {
            if (stored.event() instanceof ConfigurationEvent event) {
                touched.put(new Key(event.kind(), event.entityId()), Boolean.TRUE);
            }
        }
        if (touched.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<ConfigurationStore.Versioned> changed = new ArrayList<>();
        for (Key key : touched.keySet()) {
            Optional<ConfiguredEntity> before = store.lock(key.kind(), key.id(), now);
            ConfiguredEntity merged = mergeAllEventsOf(key);
            if (before.isEmpty() || !before.get().sameAttributes(merged)) {
                changed.add(store.save(merged.updatedAt(now)));
            }
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            changed.forEach(row -> changedInThisTransaction().put(keyOf(row), row));
        } else {
            changed.forEach(this::put);
        }
    }

    /**
     * What the current transaction changed, seen by the lookups of that transaction only: a case record
     * emitted in the batch that also brought its agent's configuration has the agent's name, and a
     * batch that rolls back leaves the caches as they were. Everyone sees it once it has committed.
     */
    private Map<Key, ConfigurationStore.Versioned> changedInThisTransaction() {
        @SuppressWarnings("unchecked")
        Map<Key, ConfigurationStore.Versioned> changed = (Map<Key, ConfigurationStore.Versioned>) TransactionSynchronizationManager.getResource(this);
        if (changed == null) {
            Map<Key, ConfigurationStore.Versioned> created = new HashMap<>();
            TransactionSynchronizationManager.bindResource(this, created);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResource(ConfigurationCaches.this);
                    if (status == STATUS_COMMITTED) {
                        created.values().forEach(ConfigurationCaches.this::put);
                    }
                }
            });
            changed = created;
        }
        return changed;
    }

    private ConfigurationStore.Versioned lookup(Key key) {
        if (TransactionSynchronizationManager.isSynchronizationActive()
                && TransactionSynchronizationManager.getResource(this) instanceof Map<?, ?> changed && changed.containsKey(key)) {
            return (ConfigurationStore.Versioned) changed.get(key);
        }
        return entries.get(key);
    }

    private static Key keyOf(ConfigurationStore.Versioned row) {
        return new Key(row.entity().kind(), row.entity().id());
    }

    private ConfiguredEntity mergeAllEventsOf(Key key) {
        String routingKey = routingKeyOf(key.kind());
        ConfiguredEntity merged = ConfiguredEntity.empty(key.kind(), key.id());
        for (EventLog.StoredBody body : eventLog.bodiesOf(key.id(), List.of(routingKey))) {
            ReadResult result = reader.read(body.routingKey(), body.body().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    body.receivedAt());
            if (result instanceof ReadResult.Accepted accepted && accepted.event() instanceof ConfigurationEvent event) {
                merged = merged.merge(event);
            }
        }
        return merged;
    }

    private static String routingKeyOf(EntityKind kind) {
        switch (kind) {
            case AGENT: return dev.vepconnector.events.VepEventType.CONFIGURATION_AGENT.routingKey();
            case GROUP: return dev.vepconnector.events.VepEventType.CONFIGURATION_GROUP.routingKey();
            case OPPORTUNITY: return dev.vepconnector.events.VepEventType.CONFIGURATION_OPPORTUNITY.routingKey();
            case SOLUTION: return dev.vepconnector.events.VepEventType.CONFIGURATION_SOLUTION.routingKey();
            case CASE_TYPE: return dev.vepconnector.events.VepEventType.CONFIGURATION_CASE_TYPE.routingKey();
            default: throw new IllegalArgumentException(kind.name());
        }
    }

    /**
     * Picks up what other replicas sharing the database wrote. Reads from the version seen two refreshes
     * ago, so a change committed late with an older version number is still found.
     */
    @Scheduled(fixedDelayString = "${vep.config.refresh-interval:5s}", initialDelayString = "${vep.config.refresh-interval:5s}")
    public void refresh() {
        long from = previousRefreshVersion;
        previousRefreshVersion = seenVersion.get();
        for (ConfigurationStore.Versioned row : store.changedSince(from)) {
            put(row);
            seenVersion.accumulateAndGet(row.version(), Math::max);
        }
    }

    private void put(ConfigurationStore.Versioned row) {
        entries.merge(keyOf(row), row,
                (known, candidate) -> candidate.version() < known.version() ? known : candidate);
    }
}
