package dev.vepconnector.ingest;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * messages wait in the inbox, already off the broker.
 */
@Component
class InboxProjector implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InboxProjector.class);
    private static final Duration IDLE_POLL = Duration.ofSeconds(1);
    private static final Duration FIRST_RETRY = Duration.ofMillis(250);
    private static final Duration COUNT_REFRESH = Duration.ofSeconds(1);

    private final IngestBatchProcessor processor;
    private final Inbox inbox;
    private final ConnectorProperties properties;
    private final Object signal = new Object();
    private final AtomicLong waiting = new AtomicLong();
    private boolean woken;
    private long countedAt;
    private volatile boolean running;
    private volatile Thread thread;

    InboxProjector(IngestBatchProcessor processor, Inbox inbox, ConnectorProperties properties, MeterRegistry registry) {
        this.processor = processor;
        this.inbox = inbox;
        this.properties = properties;
        Gauge.builder("vep.ingest.inbox.messages", waiting, AtomicLong::get)
                .description("Messages taken off the broker and stored, not yet processed")
                .register(registry);
    }

    /** There is more in the inbox. */
    void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
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

    /** Stops after the ingest writer, which wakes it. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 8192;
    }

    private void run() {
        Duration retry = FIRST_RETRY;
        boolean warned = false;
        while (running) {
            try {
                int processed = processor.processNext(properties.ingest().batchSize());
                if (warned) {
                    log.info("Database available again; processing the inbox");
                    warned = false;
                }
                retry = FIRST_RETRY;
                refreshCount(processed == 0);
                if (processed == 0) {
                    awaitWork();
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
