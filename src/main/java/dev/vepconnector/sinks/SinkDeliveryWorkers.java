package dev.vepconnector.sinks;

import dev.vepconnector.storage.StorageDurability;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One delivery worker per enabled sink, each on its own thread (plus the threads of a sink that takes
 * several records at once), so a slow or failing sink delays nobody else and never ingestion. Workers
 * take due deliveries from the durable queue under a lease (replicas sharing PostgreSQL split the work;
 * a crashed replica's lease runs out and another takes over) and record each outcome.
 */
@Component
public class SinkDeliveryWorkers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SinkDeliveryWorkers.class);

    static final int CLAIM_LIMIT = 50;
    /** How long a claimed delivery is this replica's; renewed while it works, so only a dead replica's runs out. */
    static final Duration LEASE = Duration.ofSeconds(15);
    static final Duration IDLE_POLL = Duration.ofSeconds(1);

    private final Map<String, Worker> workers = new LinkedHashMap<>();
    private final SinkDeliveryStore store;
    private final TransactionTemplate transaction;
    private final StorageDurability storage;
    private final Clock clock;
    private final String owner;
    private volatile boolean running;

    SinkDeliveryWorkers(List<CaseRecordSink> sinks, SinkDeliveryStore store, TransactionTemplate transaction, StorageDurability storage,
                        Clock clock, MeterRegistry registry) {
        this.store = store;
        this.transaction = transaction;
        this.storage = storage;
        this.clock = clock;
        this.owner = hostName() + "/" + UUID.randomUUID().toString().substring(0, 8);
        for (CaseRecordSink sink : sinks) {
            workers.put(sink.name(), new Worker(sink, new SinkMetrics(sink.name(), registry)));
        }
    }

    public List<String> sinkNames() {
        return List.copyOf(workers.keySet());
    }

    /** The state of each enabled sink, for the API and the dashboard. */
    public List<SinkStatus> status() {
        return workers.values().stream().map(Worker::status).toList();
    }

    void wake(List<String> sinks) {
        for (String sink : sinks) {
            Worker worker = workers.get(sink);
            if (worker != null) {
                worker.wake();
            }
        }
    }

    @Override
    public void start() {
        int released = store.releaseStaleLeases();
        if (released > 0) {
            log.info("Released {} deliveries left in flight by the previous run", released);
        }
        running = true;
        workers.values().forEach(Worker::start);
        if (!workers.isEmpty()) {
            log.info("Delivering case records to sinks: {}", String.join(", ", workers.keySet()));
        }
    }

    @Override
    public void stop() {
        running = false;
        workers.values().forEach(Worker::stop);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown-host";
        }
    }

    /** What the API shows of a sink. */
    public record SinkStatus(String name, long pending, long deadLetters, long delivered, Instant lastDeliveredAt,
                             String lastError, Instant lastErrorAt) {
    }

    /** How one delivery attempt went. */
    private sealed interface Outcome permits Delivered, Retry, Dead {
        SinkDeliveryStore.Claimed item();
    }

    private record Delivered(SinkDeliveryStore.Claimed item, Instant at) implements Outcome {
    }

    private record Retry(SinkDeliveryStore.Claimed item, int attempt, Instant at, Duration pause, String error) implements Outcome {
    }

    private record Dead(SinkDeliveryStore.Claimed item, int attempt, String error) implements Outcome {
    }

    private final class Worker implements Runnable {

        private final CaseRecordSink sink;
        private final SinkMetrics metrics;
        private final Object signal = new Object();
        private boolean woken;
        private Thread thread;
        /** The threads a sink that takes several records at once is given them on; null for one at a time. */
        private ExecutorService pool;
        /** The last delivery attempt failed and will be retried: the sink is probably down. */
        private boolean failing;
        private volatile Instant lastDeliveredAt;
        private volatile String lastError;
        private volatile Instant lastErrorAt;
        private Instant countsRefreshedAt = Instant.EPOCH;

        Worker(CaseRecordSink sink, SinkMetrics metrics) {
            this.sink = sink;
            this.metrics = metrics;
        }

        void start() {
            if (sink.concurrency() > 1) {
                AtomicInteger threads = new AtomicInteger();
                pool = Executors.newFixedThreadPool(sink.concurrency(), task -> {
                    Thread deliverer = new Thread(task, "sink-" + sink.name() + "-" + threads.incrementAndGet());
                    deliverer.setDaemon(true);
                    return deliverer;
                });
            }
            thread = new Thread(this, "sink-" + sink.name());
            thread.setDaemon(true);
            thread.start();
        }

        /** Lets the delivery in progress finish (the rest of the batch is given back), then ends the thread. */
        void stop() {
            Thread t = thread;
            if (t == null) {
                return;
            }
            wake();
            try {
                t.join(Duration.ofSeconds(15).toMillis());
                if (t.isAlive()) {
                    t.interrupt();
                    t.join(Duration.ofSeconds(2).toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (pool != null) {
                    pool.shutdownNow();
                }
            }
        }

        void wake() {
            synchronized (signal) {
                woken = true;
                signal.notifyAll();
            }
        }

        SinkStatus status() {
            return new SinkStatus(sink.name(), metrics.pending.get(), metrics.deadLetters.get(), (long) metrics.delivered.count(),
                    lastDeliveredAt, lastError, lastErrorAt);
        }

        @Override
        public void run() {
            while (running && !Thread.currentThread().isInterrupted()) {
                try {
                    int handled = deliverDue();
                    refreshCounts(handled > 0);
                    if (handled == 0) {
                        awaitWork();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    // The database is unreachable: the queue is durable, so wait and look again.
                    log.warn("Sink {}: cannot use its delivery queue in the database: {}", sink.name(), e.toString());
                    pause();
                }
            }
        }

        /**
         * Claims due deliveries and delivers them a wave at a time: as many at once as the sink takes,
         * their outcomes committed together. Within a claim each case appears once (only its oldest
         * pending revision is claimed), so a wave never holds two revisions of a case.
         */
        private int deliverDue() throws InterruptedException {
            Instant claimedAt = clock.instant();
            List<SinkDeliveryStore.Claimed> claimed = transaction.execute(
                    status -> store.claim(sink.name(), owner, claimedAt, claimedAt.plus(LEASE), CLAIM_LIMIT));
            if (!claimed.isEmpty()) {
                // The commits that emitted these records reach the disk before anyone outside hears of them:
                // a crash cannot undo a record a receiver already has, which would then be emitted a second time.
                storage.persistCommitted();
            }
            Instant leaseRenewedAt = claimedAt;
            int sent = 0;
            while (sent < claimed.size()) {
                List<SinkDeliveryStore.Claimed> unsent = claimed.subList(sent, claimed.size());
                if (!running || Thread.currentThread().isInterrupted()) {
                    releaseAll(unsent, clock.instant());
                    throw new InterruptedException();
                }
                leaseRenewedAt = renewLeaseIfDue(leaseRenewedAt);
                // A sink that just failed is probed with one record, not hammered with a whole wave.
                int waveSize = failing ? 1 : Math.max(1, sink.concurrency());
                List<SinkDeliveryStore.Claimed> wave = unsent.subList(0, Math.min(waveSize, unsent.size()));
                Instant retryAt = settle(attemptOrGiveBack(wave, unsent));
                failing = retryAt != null;
                if (failing) {
                    // The peer is failing: give the rest back for the same moment instead of hammering it.
                    releaseAll(unsent.subList(wave.size(), unsent.size()), retryAt);
                    return 0;
                }
                sent += wave.size();
            }
            return claimed.size();
        }

        private List<Outcome> attemptOrGiveBack(List<SinkDeliveryStore.Claimed> wave, List<SinkDeliveryStore.Claimed> unsent)
                throws InterruptedException {
            try {
                return attempt(wave);
            } catch (InterruptedException e) {
                // Some of the wave may have been delivered: delivering them again is allowed, losing them is not.
                releaseAll(unsent, clock.instant());
                throw e;
            }
        }

        private Instant renewLeaseIfDue(Instant renewedAt) {
            Instant now = clock.instant();
            if (Duration.between(renewedAt, now).compareTo(LEASE.dividedBy(3)) <= 0) {
                return renewedAt;
            }
            store.extendLease(sink.name(), owner, now.plus(LEASE));
            return now;
        }

        private void releaseAll(List<SinkDeliveryStore.Claimed> items, Instant at) {
            items.forEach(item -> store.release(item.id(), owner, at));
        }

        /** Delivers the wave, on the pool when there is more than one record; returns each record's outcome. */
        private List<Outcome> attempt(List<SinkDeliveryStore.Claimed> wave) throws InterruptedException {
            if (wave.size() == 1 || pool == null) {
                List<Outcome> outcomes = new ArrayList<>(wave.size());
                for (SinkDeliveryStore.Claimed item : wave) {
                    outcomes.add(attempt(item));
                }
                return outcomes;
            }
            List<Callable<Outcome>> attempts = wave.stream().<Callable<Outcome>>map(item -> () -> attempt(item)).toList();
            List<Outcome> outcomes = new ArrayList<>(wave.size());
            for (Future<Outcome> attempt : pool.invokeAll(attempts)) {
                try {
                    outcomes.add(attempt.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("A delivery attempt failed outside the sink", e.getCause());
                }
            }
            return outcomes;
        }

        /** Delivers one record and says how it went. */
        private Outcome attempt(SinkDeliveryStore.Claimed item) {
            int attempt = item.attempts() + 1;
            try {
                sink.deliver(new CaseRecordDelivery(item.caseId(), item.revision(), item.json(), attempt));
                return new Delivered(item, clock.instant());
            } catch (RejectedDeliveryException e) {
                return new Dead(item, attempt, "refused: " + e.getMessage());
            } catch (Exception e) {
                String error = describe(e);
                if (attempt >= sink.retry().maxAttempts()) {
                    return new Dead(item, attempt, "gave up after " + attempt + " attempts: " + error);
                }
                Duration pause = e instanceof RetryLaterException later && later.after() != null
                        ? later.after() : sink.retry().backoffAfter(attempt);
                return new Retry(item, attempt, clock.instant().plus(pause), pause, error);
            }
        }

        /**
         * Records the outcomes of a wave in one transaction (one commit, not one per record), then
         * counts and logs them; returns the earliest retry if any delivery failed and will be retried, else null.
         */
        private Instant settle(List<Outcome> outcomes) {
            List<SinkDeliveryStore.Done> delivered = outcomes.stream().filter(Delivered.class::isInstance).map(Delivered.class::cast)
                    .map(d -> new SinkDeliveryStore.Done(d.item().id(), d.at())).toList();
            transaction.executeWithoutResult(status -> {
                if (!delivered.isEmpty()) {
                    store.delivered(delivered, owner);
                }
                for (Outcome outcome : outcomes) {
                    if (outcome instanceof Retry retry) {
                        store.failed(retry.item().id(), owner, retry.at(), retry.error());
                    } else if (outcome instanceof Dead dead) {
                        store.dead(dead.item().id(), owner, clock.instant(), dead.error());
                    }
                }
            });
            Instant retryAt = null;
            for (Outcome outcome : outcomes) {
                if (outcome instanceof Delivered done) {
                    metrics.delivered(Duration.between(done.item().createdAt(), done.at()));
                    lastDeliveredAt = done.at();
                } else if (outcome instanceof Retry retry) {
                    metrics.failed.increment();
                    metrics.retried.increment();
                    noteError(retry.error());
                    log.warn("Sink {}: delivery of case {} revision {} failed (attempt {}), retrying in {} ms: {}", sink.name(),
                            retry.item().caseId(), retry.item().revision(), retry.attempt(), retry.pause().toMillis(), retry.error());
                    retryAt = retryAt == null || retry.at().isBefore(retryAt) ? retry.at() : retryAt;
                } else if (outcome instanceof Dead dead) {
                    metrics.failed.increment();
                    metrics.deadLettered.increment();
                    noteError(dead.error());
                    log.error("Sink {}: case {} revision {} dead-lettered after {} attempt(s): {}", sink.name(), dead.item().caseId(),
                            dead.item().revision(), dead.attempt(), dead.error());
                }
            }
            return retryAt;
        }

        private void noteError(String error) {
            lastError = error;
            lastErrorAt = clock.instant();
        }

        private void refreshCounts(boolean busy) {
            Instant now = clock.instant();
            if (!busy || Duration.between(countsRefreshedAt, now).compareTo(Duration.ofSeconds(2)) > 0) {
                metrics.pending.set(store.count(sink.name(), SinkDeliveryStore.PENDING));
                metrics.deadLetters.set(store.count(sink.name(), SinkDeliveryStore.DEAD));
                countsRefreshedAt = now;
            }
        }

        private void awaitWork() throws InterruptedException {
            synchronized (signal) {
                if (!woken) {
                    signal.wait(IDLE_POLL.toMillis());
                }
                woken = false;
            }
        }

        private void pause() {
            try {
                Thread.sleep(IDLE_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static String describe(Exception e) {
            String message = e.getMessage();
            return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        }
    }
}
