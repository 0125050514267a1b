package dev.vepconnector.sinks;

import static dev.vepconnector.sinks.SinkBackfillStore.DELIVERING;
import static dev.vepconnector.sinks.SinkBackfillStore.FINISHED;
import static dev.vepconnector.sinks.SinkBackfillStore.QUEUING;

import dev.vepconnector.sinks.SinkBackfillStore.Backfill;
import dev.vepconnector.sinks.SinkBackfillStore.Counts;
import dev.vepconnector.sinks.SinkBackfillStore.Delivery;
import dev.vepconnector.sinks.SinkBackfillStore.Latest;
import dev.vepconnector.sinks.SinkBackfillStore.Queued;
import dev.vepconnector.sinks.SinkBackfillStore.Walked;
import dev.vepconnector.sinks.SinkBulkJobStore.BulkJob;
import dev.vepconnector.storage.StorageDurability;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Backfills: the stored records of a range of emission times queued once more for one sink, through the
 * sink's durable delivery queue like any record, so that a sink switched on later, or one whose route or
 * mapping changed, gets what the connector already holds.
 *
 * <p>Of each case with a revision emitted in the range, the latest kept revision is queued: every revision is
 * the whole record, so the latest says everything the earlier ones did, and an earlier one would roll the
 * receiver back until the latest came again. A revision already on its way to the sink is not queued twice,
 * nor one this backfill queued already. The queuing walks the range a batch per transaction, with the
 * batch's cases locked as aggregation locks them, so a revision emitted meanwhile is queued after the one
 * the backfill queued and the sink gets the case's revisions in order; live deliveries are claimed before
 * backfilled ones ({@link SinkDeliveryStore#claim}). With several replicas, whichever locks the backfill's row
 * runs its next batch. A sink with a {@link BulkBackfillRoute} gets a large backfill in bulk jobs instead.
 */
@Component
public class SinkBackfills {

    private static final Logger log = LoggerFactory.getLogger(SinkBackfills.class);
    /** How long one run queues before it gives the scheduler's thread back; the next run goes on where it stopped. */
    private static final Duration RUN_BUDGET = Duration.ofSeconds(10);
    private static final Duration WARN_EVERY = Duration.ofMinutes(5);

    private final SinkBackfillStore store;
    private final SinkBulkJobStore jobs;
    private final SinkDeliveries sinks;
    private final BackfillProperties properties;
    private final ObjectProvider<BulkBackfillRoute> bulkRoutes;
    private final ObjectProvider<TaskScheduler> scheduler;
    private final TransactionTemplate transaction;
    private final boolean shared;
    private final Clock clock;
    private final AtomicBoolean working = new AtomicBoolean();
    private final Object starting = new Object();
    private Instant lastWarning;

    SinkBackfills(SinkBackfillStore store, SinkBulkJobStore jobs, SinkDeliveries sinks, BackfillProperties properties,
                  ObjectProvider<BulkBackfillRoute> bulkRoutes, ObjectProvider<TaskScheduler> scheduler, TransactionTemplate transaction,
                  StorageDurability storage, Clock clock) {
        this.store = store;
        this.jobs = jobs;
        this.sinks = sinks;
        this.properties = properties;
        this.bulkRoutes = bulkRoutes;
        this.scheduler = scheduler;
        this.transaction = transaction;
        this.shared = storage.isShared();
        this.clock = clock;
    }

    /**
     * A backfill as the API shows it.
     *
     * @param mode           {@code records} (through the sink's route, one exchange per record) or {@code bulk} (in jobs of the
     *                       sink's bulk route)
     * @param cases          cases with a revision emitted in the range when it started
     * @param queued         revisions it queued so far (all of them once it is {@code delivering})
     * @param alreadyPending cases whose latest revision was on its way to the sink already: not queued twice
     */
    public record BackfillView(long id, String sink, Instant from, Instant to, String state, String mode, long cases, long queued,
                               long delivered, long dead, long pending, long alreadyPending, Instant startedAt, Instant queuedAt,
                               Instant finishedAt) {
    }

    /** @param created false: an identical backfill was running already, and this is it */
    public record Started(BackfillView backfill, boolean created) {
    }

    /** Starts a backfill of the enabled sink's records emitted from {@code from} (inclusive) to {@code to} (exclusive). */
    public Started start(String sink, Instant from, Instant to) {
        // One start at a time in this process; across replicas, the lock the transaction takes.
        synchronized (starting) {
            Started started = transaction.execute(status -> {
                store.lockStarts(shared, sink);
                Optional<Backfill> running = store.unfinished(sink, from, to);
                if (running.isPresent()) {
                    return new Started(view(running.get()), false);
                }
                long cases = store.countCases(from, to);
                boolean bulk = bulkRoute(sink).filter(route -> cases > route.bulkAbove()).isPresent();
                long id = store.insert(sink, from, to, bulk, cases, clock.instant());
                return new Started(view(store.find(id).orElseThrow()), true);
            });
            if (started.created()) {
                BackfillView backfill = started.backfill();
                log.info("Backfill {} of sink {} started: records emitted from {} to {}, {} cases, {}", backfill.id(), sink, from, to,
                        backfill.cases(), "bulk".equals(backfill.mode()) ? "in bulk jobs" : "record by record");
                // Queuing starts at once rather than at the next run.
                scheduler.ifUnique(tasks -> tasks.schedule(this::work, Instant.now()));
            }
            return started;
        }
    }

    /** The sink's backfills, newest first. */
    public List<BackfillView> list(String sink, int limit) {
        return store.newest(sink, limit).stream().map(this::view).toList();
    }

    public Optional<BackfillView> find(String sink, long id) {
        return store.find(id).filter(backfill -> backfill.sink().equals(sink)).map(this::view);
    }

    /** Queues what is left to queue of every backfill, and finishes those whose every delivery is done. */
    @Scheduled(fixedDelayString = "${vep.backfill.interval:1s}", initialDelayString = "${vep.backfill.interval:1s}")
    public void work() {
        if (!working.compareAndSet(false, true)) {
            return;
        }
        try {
            long deadline = System.nanoTime() + RUN_BUDGET.toNanos();
            for (long id : store.idsIn(QUEUING)) {
                while (System.nanoTime() < deadline && queueBatch(id)) {
                    // one transaction per batch
                }
            }
            store.idsIn(DELIVERING).forEach(this::finishIfDelivered);
        } catch (RuntimeException e) {
            // The database may be away for a moment: the next run goes on where this one stopped.
            warnAtMostEvery(e);
        } finally {
            working.set(false);
        }
    }

    /** What one batch did: how many it queued for the sink, and whether there is more to queue. */
    private record Batch(String sink, int queued, boolean more) {
        static final Batch NONE = new Batch(null, 0, false);
    }

    /** Queues one batch of the backfill in its own transaction; false when nothing is left (or another replica has it now). */
    private boolean queueBatch(long id) {
        Instant now = clock.instant();
        Batch batch = transaction.execute(status -> store.lock(id, QUEUING).map(backfill -> queueBatch(backfill, now)).orElse(Batch.NONE));
        if (batch.queued() > 0) {
            sinks.wake(List.of(batch.sink()));
        }
        if (batch.sink() != null && !batch.more()) {
            log.info("Backfill {} of sink {}: every record of the range is queued", id, batch.sink());
        }
        return batch.more();
    }

    private Batch queueBatch(Backfill backfill, Instant now) {
        List<Walked> walked = store.walk(backfill, properties.batchSize());
        List<String> caseIds = walked.stream().map(Walked::caseId).distinct().toList();
        Plan plan = caseIds.isEmpty() ? new Plan(List.of(), 0) : plan(backfill, caseIds);
        List<Queued> queued = backfill.bulk() ? intoJobs(backfill, plan.toQueue(), now) : plan.toQueue().stream()
                .map(item -> new Queued(item.caseId(), item.revision(), item.again(), null)).toList();
        store.queue(backfill.sink(), backfill.id(), queued, now);
        boolean more = walked.size() == properties.batchSize();
        if (more) {
            store.advance(backfill.id(), walked.get(walked.size() - 1), plan.alreadyPending());
        } else {
            store.queued(backfill.id(), plan.alreadyPending(), now);
            jobs.filling(backfill.id()).ifPresent(job -> closeJob(job, now));
        }
        return new Batch(backfill.sink(), queued.size(), more);
    }

    /** A case's latest revision to queue ({@code again}: the sink had it, delivered or dead-lettered), and its record's size. */
    private record ToQueue(String caseId, int revision, boolean again, long length) {
    }

    private record Plan(List<ToQueue> toQueue, long alreadyPending) {
    }

    /** What to queue of the batch's cases. Their progress rows are locked first, so no revision of them is emitted meanwhile. */
    private Plan plan(Backfill backfill, List<String> caseIds) {
        store.lockCases(caseIds);
        Map<String, Latest> latest = store.latest(caseIds);
        Map<String, List<Delivery>> deliveries = store.deliveries(caseIds);
        Set<Long> othersRunning = store.unfinishedIds(backfill.sink());
        othersRunning.remove(backfill.id());
        List<ToQueue> toQueue = new ArrayList<>();
        long alreadyPending = 0;
        for (String caseId : caseIds) {
            Latest last = latest.get(caseId);
            if (last == null) {
                continue; // purged or erased since the walk read it
            }
            List<Delivery> ofSink = deliveries.getOrDefault(caseId, List.of()).stream().filter(d -> d.sink().equals(backfill.sink())).toList();
            switch (decide(backfill.id(), last.revision(), ofSink, othersRunning)) {
                case QUEUE -> toQueue.add(new ToQueue(caseId, last.revision(), false, last.length()));
                case AGAIN -> toQueue.add(new ToQueue(caseId, last.revision(), true, last.length()));
                case ALREADY_PENDING -> alreadyPending++;
                case SKIP -> { }
            }
        }
        return new Plan(toQueue, alreadyPending);
    }

    enum Decision { QUEUE, AGAIN, ALREADY_PENDING, SKIP }

    /**
     * What the backfill does with a case's latest revision, given the sink's deliveries of the case: queue it
     * (the sink never had it), queue it again (delivered or dead-lettered before), leave it (on its way already,
     * or delivered by another backfill still running, whose figures it belongs to), or skip it (this backfill
     * queued the case already, or the sink has a later revision: never send one older than what it has).
     */
    static Decision decide(long backfillId, int latest, List<Delivery> ofSink, Set<Long> othersRunning) {
        if (ofSink.stream().anyMatch(d -> Objects.equals(d.backfillId(), backfillId) || d.revision() > latest)) {
            return Decision.SKIP;
        }
        Delivery same = ofSink.stream().filter(d -> d.revision() == latest).findFirst().orElse(null);
        if (same == null) {
            return Decision.QUEUE;
        }
        if (SinkDeliveryStore.PENDING.equals(same.state()) || (same.backfillId() != null && othersRunning.contains(same.backfillId()))) {
            return Decision.ALREADY_PENDING;
        }
        return Decision.AGAIN;
    }

    /**
     * Puts the batch's revisions into the backfill's bulk jobs: a job is full at the bulk route's records or
     * characters, and ready for the bulk route then. (No bulk route any more, after a restart with other
     * route files: record by record.)
     */
    private List<Queued> intoJobs(Backfill backfill, List<ToQueue> items, Instant now) {
        Optional<BulkBackfillRoute> route = bulkRoute(backfill.sink());
        if (route.isEmpty() || items.isEmpty()) {
            return items.stream().map(item -> new Queued(item.caseId(), item.revision(), item.again(), null)).toList();
        }
        BulkJob job = jobs.filling(backfill.id()).orElseGet(() -> jobs.open(backfill.id(), backfill.sink(), now));
        int records = job.records();
        long characters = job.bytes();
        List<Queued> queued = new ArrayList<>(items.size());
        for (ToQueue item : items) {
            if (records > 0 && (records >= route.get().jobRecords() || characters + item.length() > route.get().jobCharacters())) {
                jobs.fill(job.id(), records, characters);
                jobs.ready(job.id(), now);
                job = jobs.open(backfill.id(), backfill.sink(), now);
                records = 0;
                characters = 0;
            }
            queued.add(new Queued(item.caseId(), item.revision(), item.again(), job.id()));
            records++;
            characters += item.length();
        }
        jobs.fill(job.id(), records, characters);
        return queued;
    }

    private void closeJob(BulkJob job, Instant now) {
        if (job.records() == 0) {
            jobs.done(job.id(), now, null);
        } else {
            jobs.ready(job.id(), now);
        }
    }

    private void finishIfDelivered(long id) {
        Instant now = clock.instant();
        Optional<Backfill> finished = transaction.execute(status -> store.lock(id, DELIVERING).filter(backfill -> !store.hasPending(id))
                .map(backfill -> {
                    store.finish(id, store.counts(id), now);
                    return backfill;
                }));
        finished.flatMap(backfill -> store.find(backfill.id())).ifPresent(done -> log.info(
                "Backfill {} of sink {} finished in {} s: {} records queued, {} delivered, {} dead letters, {} already on their way",
                done.id(), done.sink(), String.format(Locale.ROOT, "%.1f", Duration.between(done.startedAt(), now).toMillis() / 1000.0),
                done.queued(), done.delivered(), done.dead(), done.alreadyPending()));
    }

    private Optional<BulkBackfillRoute> bulkRoute(String sink) {
        return bulkRoutes.orderedStream().filter(route -> route.sink().equals(sink) && route.available()).findFirst();
    }

    private BackfillView view(Backfill backfill) {
        boolean finished = FINISHED.equals(backfill.state());
        Counts counts = finished ? new Counts(0, backfill.delivered(), backfill.dead()) : store.counts(backfill.id());
        return new BackfillView(backfill.id(), backfill.sink(), backfill.from(), backfill.to(), backfill.state().toLowerCase(Locale.ROOT),
                backfill.bulk() ? "bulk" : "records", backfill.cases(), finished ? backfill.queued() : counts.queued(), counts.delivered(),
                counts.dead(), counts.pending(), backfill.alreadyPending(), backfill.startedAt(), backfill.queuedAt(), backfill.finishedAt());
    }

    private void warnAtMostEvery(RuntimeException e) {
        Instant now = clock.instant();
        if (lastWarning == null || Duration.between(lastWarning, now).compareTo(WARN_EVERY) >= 0) {
            lastWarning = now;
            log.warn("Backfills: cannot work on them now, trying again in {}: {}", properties.interval(), e.toString());
        }
    }
}
