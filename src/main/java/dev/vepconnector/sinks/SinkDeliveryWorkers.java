package dev.vepconnector.sinks;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One delivery worker per enabled sink, each on its own thread, so a slow or failing sink delays
 * nobody else and never ingestion. Workers take due deliveries from the durable queue under a lease
 * (replicas sharing PostgreSQL split the work; a crashed replica's lease runs out and another takes
 * over) and record each outcome.
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
    private final Clock clock;
    private final String owner;
    private volatile boolean running;

    SinkDeliveryWorkers(List<CaseRecordSink> sinks, SinkDeliveryStore store, TransactionTemplate transaction, Clock clock,
                        MeterRegistry registry) {
        this.store = store;
        this.transaction = transaction;
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
    public record SinkStatus(String name, long pending, long deadLetters, double delivered, Instant lastDeliveredAt,
                             String lastError, Instant lastErrorAt) {
    }

    private final class Worker implements Runnable {

        private final CaseRecordSink sink;
        private final SinkMetrics metrics;
        private final Object signal = new Object();
        private boolean woken;
        private Thread thread;
        private volatile Instant lastDeliveredAt;
        private volatile String lastError;
        private volatile Instant lastErrorAt;
        private Instant countsRefreshedAt = Instant.EPOCH;

        Worker(CaseRecordSink sink, SinkMetrics metrics) {
            this.sink = sink;
            this.metrics = metrics;
        }

        void start() {
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
            }
        }

        void wake() {
            synchronized (signal) {
                woken = true;
                signal.notifyAll();
            }
        }

        SinkStatus status() {
            return new SinkStatus(sink.name(), metrics.pending.get(), metrics.deadLetters.get(), metrics.delivered.count(),
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
                    log.warn("Sink {}: cannot read its delivery queue: {}", sink.name(), e.toString());
                    pause();
                }
            }
        }

        private int deliverDue() throws InterruptedException {
            Instant claimedAt = clock.instant();
            List<SinkDeliveryStore.Claimed> claimed = transaction.execute(
                    status -> store.claim(sink.name(), owner, claimedAt, claimedAt.plus(LEASE), CLAIM_LIMIT));
            Instant leaseRenewedAt = claimedAt;
            for (int i = 0; i < claimed.size(); i++) {
                List<SinkDeliveryStore.Claimed> rest = claimed.subList(i + 1, claimed.size());
                if (!running || Thread.currentThread().isInterrupted()) {
                    releaseAll(claimed.subList(i, claimed.size()), clock.instant());
                    throw new InterruptedException();
                }
                Instant now = clock.instant();
                if (Duration.between(leaseRenewedAt, now).compareTo(LEASE.dividedBy(3)) > 0) {
                    store.extendLease(sink.name(), owner, now.plus(LEASE));
                    leaseRenewedAt = now;
                }
                Instant retryAt = deliver(claimed.get(i));
                if (retryAt != null) {
                    // The peer is failing: give the rest back for the same moment instead of hammering it.
                    releaseAll(rest, retryAt);
                    return 0;
                }
            }
            return claimed.size();
        }

        private void releaseAll(List<SinkDeliveryStore.Claimed> items, Instant at) {
            items.forEach(item -> store.release(item.id(), owner, at));
        }

        /** Delivers one record; returns when to retry if it failed and will be retried, else null. */
        private Instant deliver(SinkDeliveryStore.Claimed item) {
            int attempt = item.attempts() + 1;
            try {
                sink.deliver(new CaseRecordDelivery(item.caseId(), item.revision(), item.json(), attempt));
                Instant now = clock.instant();
                store.delivered(item.id(), owner, now);
                metrics.delivered(Duration.between(item.createdAt(), now));
                lastDeliveredAt = now;
                return null;
            } catch (RejectedDeliveryException e) {
                metrics.failed.increment();
                giveUp(item, attempt, "refused: " + e.getMessage());
                return null;
            } catch (Exception e) {
                metrics.failed.increment();
                String error = describe(e);
                noteError(error);
                if (attempt >= sink.retry().maxAttempts()) {
                    giveUp(item, attempt, "gave up after " + attempt + " attempts: " + error);
                    return null;
                }
                Duration pause = e instanceof RetryLaterException later && later.after() != null
                        ? later.after() : sink.retry().backoffAfter(attempt);
                Instant retryAt = clock.instant().plus(pause);
                store.failed(item.id(), owner, retryAt, error);
                metrics.retried.increment();
                log.warn("Sink {}: delivery of case {} revision {} failed (attempt {}), retrying in {} ms: {}",
                        sink.name(), item.caseId(), item.revision(), attempt, pause.toMillis(), error);
                return retryAt;
            }
        }

        private void giveUp(SinkDeliveryStore.Claimed item, int attempt, String error) {
            store.dead(item.id(), owner, clock.instant(), error);
            metrics.deadLettered.increment();
            noteError(error);
            log.error("Sink {}: case {} revision {} dead-lettered after {} attempt(s): {}", sink.name(), item.caseId(),
                    item.revision(), attempt, error);
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
