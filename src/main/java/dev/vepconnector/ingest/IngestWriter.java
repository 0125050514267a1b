package dev.vepconnector.ingest;

import com.rabbitmq.client.Channel;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import dev.vepconnector.privacy.Redactor;
import dev.vepconnector.storage.StorageDurability;
import org.apache.camel.Exchange;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.slf4j.Logger;
import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Takes messages off the broker into the connector's durable inbox. The consumer thread only
 * enqueues (it never waits on the database); one writer thread stores what has queued up as one
 * batch in the {@link Inbox} (group commit: the busier the stream, the bigger the batches) and then
 * acknowledges it with one {@code basicAck(multiple)} per channel. A message is acknowledged only
 * after its commit; processing it is the {@link InboxProjector}'s work, so a backlog on VEP's broker
 * (where messages expire after 5 minutes) drains as fast as messages can be stored. While the
 * database is unavailable the writer holds its batch and retries with backoff; the broker's prefetch
 * limit then stops deliveries, and nothing unstored is ever acknowledged.
 */
@Component("ingestWriter")
public class IngestWriter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IngestWriter.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(250);

    private final BlockingQueue<InboundMessage> queue = new LinkedBlockingQueue<>();
    private final Object stopSignal = new Object();
    private final IngestBatchProcessor processor;
    private final InboxProjector projector;
    private final ConnectorProperties properties;
    private final IngestMetrics metrics;
    private final Redactor redactor;
    private final Clock clock;
    private final long commitIntervalNanos;
    private final int backlogBatch;
    private volatile boolean running;
    private volatile Thread thread;

    IngestWriter(IngestBatchProcessor processor, InboxProjector projector, ConnectorProperties properties, IngestMetrics metrics,
                 Redactor redactor, Clock clock, StorageDurability storage) {
        this.processor = processor;
        this.projector = projector;
        this.properties = properties;
        this.metrics = metrics;
        this.redactor = redactor;
        this.clock = clock;
        // On the embedded database a write of its file costs far more than a commit (see StorageDurability): pace by the rarer.
        this.commitIntervalNanos = Math.max(properties.ingest().commitInterval().toNanos(), storage.writeInterval().toNanos());
        // The broker sends at most a prefetch window of unacknowledged messages, and a few of them are always on their
        // way to the queue: this many queued means a backlog, which a longer wait would only slow down.
        this.backlogBatch = Math.max(1, Math.min(properties.ingest().batchSize(), properties.ingest().prefetch()) * 9 / 10);
    }

    /**
     * Called by the ingest route for every message, on the consumer's thread: takes out the personal
     * data that must never be stored (card numbers, ...) and queues it for storing.
     */
    public void accept(Exchange exchange) {
        var in = exchange.getMessage();
        Channel channel = deliveringChannel(exchange.getProperty(SpringRabbitMQConstants.CHANNEL, Channel.class));
        Long tag = in.getHeader(SpringRabbitMQConstants.DELIVERY_TAG, Long.class);
        String routingKey = in.getHeader(SpringRabbitMQConstants.ROUTING_KEY, String.class);
        byte[] body = in.getBody(byte[].class);
        queue.add(new InboundMessage(routingKey, redactor.redact(routingKey, body == null ? new byte[0] : body), clock.instant(), channel,
                tag == null ? -1 : tag));
        if (queue.size() >= backlogBatch) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * The real channel behind Spring's proxy. Delivery tags belong to the channel that delivered them;
     * after a reconnect the proxy points at a new channel, where acking an old tag is a protocol error
     * that closes it.
     */
    private static Channel deliveringChannel(Channel channel) {
        return channel instanceof ChannelProxy proxy ? proxy.getTargetChannel() : channel;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::run, "vep-ingest-writer");
        thread.start();
    }

    @Override
    public void stop() {
        synchronized (stopSignal) {
            running = false;
            stopSignal.notifyAll();
        }
        Thread writer = thread;
        if (writer != null) {
            try {
                writer.join(TimeUnit.SECONDS.toMillis(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (writer.isAlive()) {
                log.warn("Ingest writer still busy at shutdown; {} unacknowledged messages will be redelivered by the broker", queue.size());
                writer.interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after Camel (phase {@code Integer.MAX_VALUE - 2049}) has stopped the consumer, so every message it handed over gets stored. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 4096;
    }

    private void run() {
        List<InboundMessage> batch = new ArrayList<>(properties.ingest().batchSize());
        long lastStoreStarted = System.nanoTime() - commitIntervalNanos;
        while (running || !queue.isEmpty()) {
            try {
                InboundMessage first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                awaitCommitInterval(lastStoreStarted);
                queue.drainTo(batch, properties.ingest().batchSize() - 1);
                long started = System.nanoTime();
                lastStoreStarted = started;
                if (storeWithRetry(batch)) {
                    acknowledge(batch);
                    metrics.batchStored(batch.size(), Duration.ofNanos(System.nanoTime() - started));
                    projector.wake();
                }
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("Ingest writer failed on a batch of {}; it stays unacknowledged for redelivery", batch.size(), e);
                batch.clear();
            }
        }
    }

    /**
     * Every inbox write is a database commit written to disk, and on the embedded database each one
     * rewrites the pages it touched; a message every millisecond would cost a write each. Waiting until
     * the interval since the last write has passed ({@code vep.ingest.commit-interval}, on the embedded
     * database {@code vep.storage.write-interval} if longer) lets the messages that arrive meanwhile share one.
     * A backlog fills a batch sooner, and the consumer wakes the writer then, so it never waits.
     */
    private void awaitCommitInterval(long lastStoreStarted) {
        long due = lastStoreStarted + commitIntervalNanos;
        for (long left = due - System.nanoTime(); left > 0 && queue.size() < backlogBatch;
             left = due - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    /** True once stored; false only if shutdown came while the database was still unavailable. */
    private boolean storeWithRetry(List<InboundMessage> batch) throws InterruptedException {
        Duration wait = FIRST_RETRY;
        boolean warned = false;
        while (true) {
            try {
                processor.storeInInbox(batch);
                if (warned) {
                    log.info("Database available again; stored the {} held messages", batch.size());
                }
                return true;
            } catch (IngestBatchProcessor.StorageUnavailableException e) {
                if (!running) {
                    return false;
                }
                if (!warned) {
                    log.warn("Cannot store messages ({}); holding {} of them unacknowledged and retrying", e.getMessage(), batch.size());
                    warned = true;
                }
                awaitRetry(wait);
                wait = min(wait.multipliedBy(2), properties.ingest().storeRetryMax());
            }
        }
    }

    /** Ends early on stop(): a shutdown need not wait out the backoff, the batch stays unacknowledged for redelivery. */
    private void awaitRetry(Duration wait) throws InterruptedException {
        synchronized (stopSignal) {
            if (running) {
                stopSignal.wait(wait.toMillis());
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void acknowledge(List<InboundMessage> stored) {
        Map<Channel, Long> highestTag = new IdentityHashMap<>();
        for (InboundMessage m : stored) {
            if (m.channel() != null) {
                highestTag.merge(m.channel(), m.deliveryTag(), Math::max);
            }
        }
        highestTag.forEach((channel, tag) -> {
            if (!channel.isOpen()) {
                // The broker requeued these when the channel closed; the redelivered copies are duplicates now.
                log.debug("Not acknowledging up to tag {}: its channel closed", tag);
                return;
            }
            try {
                channel.basicAck(tag, true);
            } catch (Exception e) {
                // The channel closed with the connection: the broker requeued these and will redeliver;
                // they are stored already, so the redelivery is recognised as a duplicate.
                log.debug("Could not acknowledge up to tag {} on a closed channel: {}", tag, e.toString());
            }
        });
    }
}
