package dev.vepconnector.sinks;

import static dev.vepconnector.sinks.SinkBulkJobStore.CREATED;
import static dev.vepconnector.sinks.SinkBulkJobStore.READY;
import static dev.vepconnector.sinks.SinkBulkJobStore.UPLOADED;

import dev.vepconnector.sinks.SinkBulkJobStore.BulkJob;
import jakarta.annotation.PostConstruct;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The bulk jobs of large backfills, for a sink's bulk route (the Salesforce Bulk API route): take a job ready
 * for upload or due for a look, note what the peer did, settle the job's deliveries from its results. A job's
 * deliveries stay PENDING until then, so the purge keeps their records and a case's later revisions wait
 * behind them; whatever a job does not settle goes to the sink's own route, record by record. A replica
 * holds a job under a lease, so replicas share the jobs and a crashed replica's job is taken over.
 *
 * <p>{@link #failed} is the bulk routes' error handling ({@code routes/sink-errors.yaml}): a failure is retried
 * with the sink's backoff; a job the peer never got (or that it refuses for good) goes record by record after
 * {@value #MAX_ATTEMPTS} attempts. A job the peer has is never given up on a failure that may pass: it might
 * still run, and the same revisions sent record by record meanwhile could then be overwritten by it.
 */
@Component("sinkBulkJobs")
public class SinkBulkJobs {

    private static final Logger log = LoggerFactory.getLogger(SinkBulkJobs.class);
    /** The header naming the job an exchange of a bulk route works on. */
    public static final String JOB_HEADER = "vepBulkJob";
    static final int MAX_ATTEMPTS = 5;
    /** Long enough for an upload of a full job; only a crashed replica's lease runs out. */
    private static final Duration LEASE = Duration.ofMinutes(15);

    private final SinkBulkJobStore store;
    private final SinkDeliveries sinks;
    private final SinkFailures failures;
    private final TransactionTemplate transaction;
    private final Clock clock;

    SinkBulkJobs(SinkBulkJobStore store, SinkDeliveries sinks, SinkFailures failures, TransactionTemplate transaction, Clock clock) {
        this.store = store;
        this.sinks = sinks;
        this.failures = failures;
        this.transaction = transaction;
        this.clock = clock;
    }

    @PostConstruct
    void releaseStaleLeases() {
        int released = store.releaseStaleLeases();
        if (released > 0) {
            log.info("Released {} bulk jobs left in hand by the previous run", released);
        }
    }

    /** A job taken by this replica: the peer's id once created there, and (for an upload) the records it holds. */
    public record TakenJob(long id, long backfillId, String remoteId, List<JobRecord> records) {
    }

    /** A case record a job holds: the revision its delivery is for. */
    public record JobRecord(String caseId, int revision, String record) {
    }

    /** The sink's next job ready for upload, with its records; empty when none is due. */
    public Optional<TakenJob> takeReady(String sink) {
        for (int emptyJobs = 0; emptyJobs < 10; emptyJobs++) {
            Optional<BulkJob> job = take(sink, List.of(READY));
            if (job.isEmpty()) {
                return Optional.empty();
            }
            List<JobRecord> records = store.records(job.get().id()).stream()
                    .map(held -> new JobRecord(held.caseId(), held.revision(), held.record())).toList();
            if (!records.isEmpty()) {
                return Optional.of(new TakenJob(job.get().id(), job.get().backfillId(), null, records));
            }
            // every case of the job was erased since it was queued
            store.done(job.get().id(), clock.instant(), null);
        }
        return Optional.empty();
    }

    /** The sink's next job at the peer due for a look (uploaded, or left half-created by a replica that stopped). */
    public Optional<TakenJob> takeToPoll(String sink) {
        return take(sink, List.of(UPLOADED, CREATED)).map(job -> new TakenJob(job.id(), job.backfillId(), job.remoteId(), List.of()));
    }

    private Optional<BulkJob> take(String sink, List<String> states) {
        Instant now = clock.instant();
        return transaction.execute(status -> store.take(sink, states, sinks.owner(), now, now.plus(LEASE)));
    }

    /** The peer created the job: its id is kept before anything is uploaded, so the job can be found again. */
    public void created(long id, String remoteId) {
        store.created(id, remoteId);
    }

    /** The upload is complete: the peer works on the job, looked at every {@code pollEvery}. */
    public void uploaded(long id, Duration pollEvery) {
        store.uploaded(id, clock.instant().plus(pollEvery));
    }

    public void stillRunning(long id, Duration pollEvery) {
        BulkJob job = job(id);
        store.later(id, job.attempts(), clock.instant().plus(pollEvery), null);
    }

    /** The job's results: these cases' deliveries are delivered. */
    public int delivered(long id, Collection<String> caseIds) {
        int delivered = store.delivered(id, caseIds, clock.instant());
        SinkDeliveries.SinkState sink = sinks.sink(job(id).sink());
        if (sink != null && delivered > 0) {
            sink.metrics.delivered.increment(delivered);
            sink.lastDeliveredAt = clock.instant();
        }
        return delivered;
    }

    /** The job's results: these cases' deliveries (case id to the peer's error) are the sink's dead letters, replayable. */
    public int refused(long id, Map<String, String> errors) {
        int dead = store.dead(id, errors, clock.instant());
        SinkDeliveries.SinkState sink = sinks.sink(job(id).sink());
        if (sink != null && dead > 0) {
            sink.metrics.deadLettered.increment(dead);
            sink.noteError(errors.values().iterator().next(), clock.instant());
        }
        return dead;
    }

    /**
     * The job is over at the peer ({@code outcome} says how; {@code complete}: as planned, rather than failed or
     * aborted): what it did not settle goes record by record.
     */
    public void finished(long id, String outcome, boolean complete) {
        BulkJob job = job(id);
        int released = transaction.execute(status -> {
            int rest = store.release(id);
            store.done(id, clock.instant(), null);
            return rest;
        });
        sinks.wake(List.of(job.sink()));
        String line = "Bulk job {} of backfill {} (sink {}, {} at the peer) {}: {} records settled, {} left to the sink's route";
        Object[] values = {id, job.backfillId(), job.sink(), job.remoteId(), outcome, job.records() - released, released};
        if (complete) {
            log.info(line, values);
        } else {
            log.warn(line, values);
        }
    }

    /** The peer's job was left open by an upload that did not complete, and is aborted: the job is uploaded anew. */
    public void reopen(long id) {
        BulkJob job = job(id);
        if (job.attempts() >= MAX_ATTEMPTS) {
            giveUp(job, "its upload failed " + job.attempts() + " times");
        } else {
            store.reopen(id, clock.instant());
        }
    }

    /** The bulk routes' error handling: the failure of a step on the job named by {@link #JOB_HEADER}. */
    public void failed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Long id = exchange.getMessage().getHeader(JOB_HEADER, Long.class);
        SinkFailure classified = failures.classify(failure);
        if (id == null) {
            log.warn("Bulk route {} failed before it had a job: {}", exchange.getFromRouteId(), classified.description());
            return;
        }
        BulkJob job = job(id);
        if (classified.retryAfter() != null) {
            store.later(id, job.attempts(), clock.instant().plus(classified.retryAfter()), classified.description());
            log.info("Bulk job {} (sink {}) waits {}: {}", id, job.sink(), classified.retryAfter(), classified.description());
            return;
        }
        int attempts = classified.refused() ? MAX_ATTEMPTS : job.attempts() + 1;
        boolean peerHasIt = job.remoteId() != null;
        if (attempts >= MAX_ATTEMPTS && (!peerHasIt || classified.refused() && UPLOADED.equals(job.state()))) {
            giveUp(job, classified.description());
            return;
        }
        Duration pause = backoff(job.sink(), attempts);
        store.later(id, attempts, clock.instant().plus(pause), classified.description());
        log.warn("Bulk job {} of backfill {} (sink {}) failed (attempt {}), again in {}: {}", id, job.backfillId(), job.sink(), attempts,
                pause, classified.description());
    }

    private void giveUp(BulkJob job, String why) {
        int released = transaction.execute(status -> {
            int rest = store.release(job.id());
            store.done(job.id(), clock.instant(), why);
            return rest;
        });
        sinks.wake(List.of(job.sink()));
        log.warn("Bulk job {} of backfill {} (sink {}): its {} records go to the sink's route one by one instead, since {}", job.id(),
                job.backfillId(), job.sink(), released, why);
    }

    private Duration backoff(String sink, int attempts) {
        SinkDeliveries.SinkState state = sinks.sink(sink);
        return (state == null ? SinkRetry.defaults() : state.settings.retry()).backoffAfter(attempts);
    }

    private BulkJob job(long id) {
        return store.find(id).orElseThrow(() -> new IllegalStateException("No bulk job " + id));
    }
}
