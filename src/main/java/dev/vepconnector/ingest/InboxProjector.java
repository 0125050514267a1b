package dev.vepconnector.ingest;

import dev.vepconnector.storage.DataDisk;
import dev.vepconnector.storage.DataDiskChanged;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Processes what the ingest writer stored in the inbox, on its own thread, a batch per transaction,
 * as soon as the writer says there is more (and once a second in case another replica sharing the
 * database left messages behind). While the database is unavailable it retries with backoff; the
 * messages wait in the inbox, already off the broker. While a backlog waits on the broker, it gives
 * way to the ingest writer (see {@link #giveWayToABrokerBacklog}). While the data folder's disk is low it
 * processes nothing: processing writes more than it takes out of the inbox (events, case state, records,
 * sink deliveries; the embedded database's file does not shrink as inbox rows go), and the inbox keeps
 * its messages safe meanwhile.
 */
@Component
class InboxProjector implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InboxProjector.class);
    private static final Duration IDLE_POLL = Duration.ofSeconds(1);
    private static final Duration FIRST_RETRY = Duration.ofMillis(250);
    private static final Duration COUNT_REFRESH = Duration.ofSeconds(1);
    private static final Duration MAX_GIVE_WAY = Duration.ofSeconds(1);

    private final IngestBatchProcessor processor;
    private final Inbox inbox;
    private final BrokerBacklog brokerBacklog;
    private final ConnectorProperties properties;
    private final DataDisk dataDisk;
    private final Object signal = new Object();
    private final AtomicLong waiting = new AtomicLong();
    private final Counter pausedForBacklog;
    private boolean woken;
    private boolean givingWay;
    private long countedAt;
    private volatile boolean running;
    private volatile Thread thread;

    InboxProjector(IngestBatchProcessor processor, Inbox inbox, BrokerBacklog brokerBacklog, ConnectorProperties properties,
                   DataDisk dataDisk, MeterRegistry registry) {
        this.processor = processor;
        this.inbox = inbox;
        this.brokerBacklog = brokerBacklog;
        this.properties = properties;
        this.dataDisk = dataDisk;
        Gauge.builder("vep.ingest.inbox.messages", waiting, AtomicLong::get)
                .description("Messages taken off the broker and stored, not yet processed")
                .register(registry);
        pausedForBacklog = Counter.builder("vep.ingest.processing.paused").baseUnit("seconds")
                .description("Time processing of the inbox paused while a backlog waited on the broker")
                .register(registry);
    }

    /** There is more in the inbox. */
    void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /** Free space is back (or going): look again at once. */
    @EventListener
    void dataDiskChanged(DataDiskChanged change) {
        wake();
    }

    @Override
    public void start() {
        running = true;
        countedAt = System.nanoTime() - COUNT_REFRESH.toNanos();
        thread = new Thread(this::run, "vep-ingest-projector");
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        wake();
        Thread projector = thread;
        if (projector != null) {
            try {
                projector.join(TimeUnit.SECONDS.toMillis(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (projector.isAlive()) {
                log.warn("Inbox projector still busy at shutdown; what it had not committed stays in the inbox for the next start");
                projector.interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Not with the other lifecycle beans: processing emits case records through Camel routes, which
     * start after them. Leftovers of the previous run are processed once the application is ready.
     */
    @Override
    public boolean isAutoStartup() {
        return false;
    }

    @EventListener(ApplicationReadyEvent.class)
    void startWhenReady() {
        start();
    }

    /**
     * Stops before Camel (phase {@code Integer.MAX_VALUE - 2049}), so the sink routes deliver what the
     * last batch queued. What the ingest writer stores after that waits in the inbox for the next start.
     */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1536;
    }

    private void run() {
        Duration retry = FIRST_RETRY;
        boolean warned = false;
        while (running) {
            try {
                if (!dataDisk.takesMessages()) {
                    awaitWork();
                    continue;
                }
                long started = System.nanoTime();
                int processed = processor.processNext(properties.ingest().batchSize());
                long took = System.nanoTime() - started;
                if (warned) {
                    log.info("Database available again; processing the inbox");
                    warned = false;
                }
                retry = FIRST_RETRY;
                refreshCount(processed == 0);
                if (processed == 0) {
                    awaitWork();
                } else {
                    giveWayToABrokerBacklog(took);
                }
            } catch (IngestBatchProcessor.StorageUnavailableException e) {
                if (!warned) {
                    log.warn("Cannot process the inbox ({}); its messages wait there, retrying", e.getMessage());
                    warned = true;
                }
                pause(retry);
                Duration doubled = retry.multipliedBy(2);
                retry = doubled.compareTo(properties.ingest().storeRetryMax()) < 0 ? doubled : properties.ingest().storeRetryMax();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("Inbox projector failed on a batch; it stays in the inbox and is tried again", e);
                pause(retry);
            }
        }
    }

    /**
     * Messages expire on VEP's broker after 5 minutes, never in the inbox: while more than a prefetch
     * window of them waits there, taking them off comes first, and processing keeps only its share
     * of the time ({@code vep.ingest.processing-share-during-backlog}) by pausing after each batch.
     */
    private void giveWayToABrokerBacklog(long batchNanos) {
        double share = properties.ingest().processingShareDuringBacklog();
        boolean backlog = share < 1 && brokerBacklog.waiting() > properties.ingest().prefetch();
        if (backlog != givingWay) {
            givingWay = backlog;
            if (backlog) {
                log.info("Messages are queueing on the broker: taking them off first, processing the inbox at {}% of the time", Math.round(share * 100));
            } else {
                log.info("The broker's queue is drained: processing the inbox at full pace");
            }
        }
        if (backlog) {
            long pausedFrom = System.nanoTime();
            long pauseUntil = pausedFrom + Math.min((long) (batchNanos * (1 - share) / share), MAX_GIVE_WAY.toNanos());
            for (long left = pauseUntil - System.nanoTime(); left > 0 && running; left = pauseUntil - System.nanoTime()) {
                // Not on the signal: the writer wakes it after every batch, which is exactly when it should keep out of the way.
                LockSupport.parkNanos(left);
            }
            pausedForBacklog.increment((System.nanoTime() - pausedFrom) / 1e9);
        }
    }

    /** Counting is a query: while busy, at most once a second. */
    private void refreshCount(boolean idle) {
        long now = System.nanoTime();
        if (idle || now - countedAt > COUNT_REFRESH.toNanos()) {
            waiting.set(inbox.count());
            countedAt = now;
        }
    }

    private void awaitWork() throws InterruptedException {
        synchronized (signal) {
            if (!woken && running) {
                signal.wait(IDLE_POLL.toMillis());
            }
            woken = false;
        }
    }

    private void pause(Duration duration) {
        synchronized (signal) {
            try {
                // Ends early on stop(), or when the writer stored more (then the database is back).
                if (running) {
                    signal.wait(duration.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }
}
