package dev.vepconnector.sinks;

/**
 * A sink whose large backfills go through a bulk route of its own instead of one exchange per record (the
 * Salesforce sink: a Bulk API 2.0 upsert job per share of the backfill). The backfill queues such a backfill's
 * deliveries as usual but holds them in bulk jobs ({@link SinkBulkJobs}), which the sink's bulk route uploads
 * and settles; whatever a job does not settle goes back to the sink's own route, record by record.
 */
public interface BulkBackfillRoute {

    /** The sink's name, as its route consumes it ({@code vep-sink:<name>}). */
    String sink();

    /** A backfill of more cases than this goes in bulk jobs. */
    int bulkAbove();

    /** Records per job. */
    int jobRecords();

    /** Stored record characters per job, at most: a job's upload stays well within what the peer takes. */
    long jobCharacters();

    /** Whether the bulk route is there to run the jobs (an operator's own route files may leave it out). */
    boolean available();
}
