package dev.vepconnector.sinks;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one sink's queue through its route. A loop takes due deliveries from the durable queue under
 * a lease (replicas sharing PostgreSQL split the work; a crashed replica's lease runs out and another
 * takes over), hands each to the route as an exchange and records the outcome: completed = delivered
 * (a filter that let it go nowhere included: the sink did not want it), an exception = retried with the sink's backoff or, when refused or out of
 * attempts, the sink's dead letters. The loop and the threads of a sink that takes several records at
 * once come from Camel's executor service manager, as Camel's own polling consumers (seda) do; the loop
 * waits for work on a signal the outbox gives after each commit, so a record goes out at once.
 */
class VepSinkConsumer extends DefaultConsumer {

    private static final Logger log = LoggerFactory.getLogger(VepSinkConsumer.class);

    static final int CLAIM_LIMIT = 50;
    /** How long a claimed delivery is this replica's; renewed while it works, so only a dead replica's runs out. */
    static final Duration LEASE = Duration.ofSeconds(15);
    static final Duration IDLE_POLL = Duration.ofSeconds(1);
    private static final Duration STOP_WAIT = Duration.ofSeconds(15);

    private final VepSinkComponent component;
    private final String sinkName;
    private final SinkDeliveryStore store;
    private final Clock clock;
    private final SinkFailureLog failureLog;
    private final ObjectMapper json = new ObjectMapper();
    private final Object signal = new Object();
    private SinkDeliveries.SinkState sink;
    private ExecutorService loop;
    /** The threads a sink that takes several records at once is given them on; null for one at a time. */
    private ExecutorService pool;
    private volatile boolean running;
    private boolean woken;
    /** The last delivery attempt failed and will be retried: the peer is probably down. */
    private boolean failing;
    private Instant countsRefreshedAt = Instant.EPOCH;

    VepSinkConsumer(VepSinkEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.component = endpoint.getComponent();
        this.sinkName = endpoint.getSinkName();
        this.store = component.store();
        this.clock = component.clock();
        this.failureLog = new SinkFailureLog(sinkName, clock);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        sink = component.sinks().sink(sinkName);
        if (sink == null) {
            log.info("Route {} consumes vep-sink:{}, which is switched off (vep.sinks.{}.enabled): it delivers nothing", getRouteId(),
                    sinkName, sinkName);
            return;
        }
        if (sink.consumer != null && sink.consumer != this) {
            throw new IllegalStateException("vep-sink:" + sinkName + " is consumed by route " + sink.route + " already; route "
                    + getRouteId() + " cannot consume it too (give it a sink of its own: vep-sink:<another name>)");
        }
        sink.consumer = this;
        sink.route = getRouteId();
        running = true;
        var executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        int concurrency = sink.settings.concurrency();
        if (concurrency > 1) {
            pool = executors.newFixedThreadPool(this, "vep-sink-" + sinkName + "-delivery", concurrency);
        }
        loop = executors.newSingleThreadExecutor(this, "vep-sink-" + sinkName);
        loop.execute(this::deliverUntilStopped);
    }

    /** Lets the delivery in progress finish (the rest of the claim is given back), then ends the loop. */
    @Override
    protected void doStop() throws Exception {
        running = false;
        wake();
        var executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        if (loop != null) {
            executors.shutdownGraceful(loop, STOP_WAIT.toMillis());
            loop = null;
        }
        if (pool != null) {
            executors.shutdownNow(pool);
            pool = null;
        }
        if (sink != null && sink.consumer == this) {
            sink.consumer = null;
        }
        super.doStop();
    }

    void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void deliverUntilStopped() {
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
                log.warn("Sink {}: cannot use its delivery queue in the database: {}", sinkName, e.toString());
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
        String owner = component.sinks().owner();
        List<SinkDeliveryStore.Claimed> claimed = component.transaction().execute(
                status -> store.claim(sinkName, owner, claimedAt, claimedAt.plus(LEASE), CLAIM_LIMIT));
        if (!claimed.isEmpty()) {
            // The commits that emitted these records reach the disk before anyone outside hears of them:
            // a crash cannot undo a record a receiver already has, which would then be emitted a second time.
            // Shared: the sinks and the ingest writer need one write of the embedded database's file per write interval,
            // not one each. A full claim means a backlog, which waiting would only slow down.
            if (claimed.size() >= CLAIM_LIMIT) {
                component.storage().persistCommitted();
            } else {
                component.storage().persistCommittedShared();
            }
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
            int waveSize = failing ? 1 : sink.settings.concurrency();
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
        store.extendLease(sinkName, component.sinks().owner(), now.plus(LEASE));
        return now;
    }

    private void releaseAll(List<SinkDeliveryStore.Claimed> items, Instant at) {
        items.forEach(item -> store.release(item.id(), component.sinks().owner(), at));
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
                throw new IllegalStateException("A delivery attempt failed outside the sink's route", e.getCause());
            }
        }
        return outcomes;
    }

    /** Hands one record to the route and says how it went. */
    private Outcome attempt(SinkDeliveryStore.Claimed item) {
        if (item.erasedSince()) {
            return new Delivered(item, clock.instant());
        }
        int attempt = item.attempts() + 1;
        Exchange exchange = createExchange(false);
        try {
            fill(exchange.getMessage(), item, attempt);
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        try {
            Throwable failure = exchange.getException();
            if (failure == null && exchange.isRollbackOnly()) {
                failure = new IllegalStateException("the route rolled the exchange back");
            }
            if (failure == null) {
                return new Delivered(item, clock.instant());
            }
            return failed(item, attempt, component.failures().classify(failure));
        } finally {
            releaseExchange(exchange, false);
        }
    }

    private void fill(Message message, SinkDeliveryStore.Claimed item, int attempt) throws IOException {
        message.setHeader(SinkHeaders.CASE_ID, item.caseId());
        message.setHeader(SinkHeaders.REVISION, item.revision());
        message.setHeader(SinkHeaders.IDEMPOTENCY_KEY, item.caseId() + ":" + item.revision());
        message.setHeader(SinkHeaders.SINK, sinkName);
        message.setHeader(SinkHeaders.ATTEMPT, attempt);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader(SinkHeaders.ERASURE, item.erasure());
        if (item.erasure()) {
            message.setBody(json.writeValueAsString(json.createObjectNode().put("type", "case.erased").put("caseId", item.caseId())
                    .put("erasedAt", item.createdAt().toString())));
        } else {
            message.setBody(item.json());
            readCaseHeaders(item.json(), message);
        }
    }

    /**
     * The outcome and case type, read with a streaming parser that stops once it has them: both come
     * before the record's assignments, transcript and events, and parsing a whole record for them cost
     * a tenth of a delivery's CPU.
     */
    private void readCaseHeaders(String record, Message message) throws IOException {
        try (JsonParser parser = json.getFactory().createParser(record)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            boolean outcome = false;
            boolean caseType = false;
            while (!(outcome && caseType) && parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("outcome".equals(field) && value == JsonToken.VALUE_STRING) {
                    message.setHeader(SinkHeaders.OUTCOME, parser.getText());
                    outcome = true;
                } else if ("caseType".equals(field) && value == JsonToken.START_OBJECT) {
                    JsonNode type = json.readTree(parser);
                    if (type.hasNonNull("id")) {
                        message.setHeader(SinkHeaders.CASE_TYPE_ID, type.get("id").asText());
                    }
                    if (type.hasNonNull("name")) {
                        message.setHeader(SinkHeaders.CASE_TYPE, type.get("name").asText());
                    }
                    caseType = true;
                } else {
                    parser.skipChildren();
                }
            }
        }
    }

    private Outcome failed(SinkDeliveryStore.Claimed item, int attempt, SinkFailure failure) {
        if (failure.refused()) {
            return new Dead(item, attempt, "refused: " + failure.description());
        }
        SinkRetry retry = sink.settings.retry();
        if (attempt >= retry.maxAttempts()) {
            return new Dead(item, attempt, "gave up after " + attempt + " attempts: " + failure.description());
        }
        Duration pause = failure.retryAfter() != null ? failure.retryAfter() : retry.backoffAfter(attempt);
        return new Retry(item, attempt, clock.instant().plus(pause), pause, failure.description());
    }

    /**
     * Records the outcomes of a wave in one transaction (one commit, not one per record), then counts
     * and logs them; returns the earliest retry if any delivery failed and will be retried, else null.
     */
    private Instant settle(List<Outcome> outcomes) {
        String owner = component.sinks().owner();
        List<SinkDeliveryStore.Done> delivered = outcomes.stream().filter(Delivered.class::isInstance).map(Delivered.class::cast)
                .map(d -> new SinkDeliveryStore.Done(d.item().id(), d.at())).toList();
        component.transaction().executeWithoutResult(status -> {
            if (!delivered.isEmpty()) {
                store.delivered(delivered, owner);
            }
            outcomes.stream().filter(outcome -> outcome instanceof Delivered && outcome.item().erasure())
                    .forEach(told -> store.forget(sinkName, told.item().caseId()));
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
                count(done);
            } else if (outcome instanceof Retry retry) {
                count(retry);
                retryAt = retryAt == null || retry.at().isBefore(retryAt) ? retry.at() : retryAt;
            } else if (outcome instanceof Dead dead) {
                count(dead);
            }
        }
        return retryAt;
    }

    private void count(Delivered done) {
        if (done.item().erasedSince()) {
            return;
        }
        sink.metrics.delivered(Duration.between(done.item().createdAt(), done.at()));
        sink.lastDeliveredAt = done.at();
        failureLog.delivered();
    }

    private void count(Retry retry) {
        sink.metrics.failed.increment();
        sink.metrics.retried.increment();
        sink.noteError(retry.error(), clock.instant());
        failureLog.retrying(retry.item().caseId(), retry.item().revision(), retry.attempt(), retry.pause(), retry.error());
    }

    private void count(Dead dead) {
        sink.metrics.failed.increment();
        sink.metrics.deadLettered.increment();
        sink.noteError(dead.error(), clock.instant());
        failureLog.deadLettered(dead.item().caseId(), dead.item().revision(), dead.attempt(), dead.error());
    }

    private void refreshCounts(boolean busy) {
        Instant now = clock.instant();
        if (!busy || Duration.between(countsRefreshedAt, now).compareTo(Duration.ofSeconds(2)) > 0) {
            sink.refreshCounts(store);
            countsRefreshedAt = now;
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

    private void pause() {
        try {
            Thread.sleep(IDLE_POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
}
