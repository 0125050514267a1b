package dev.vepconnector.sinks.salesforce;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.sinks.BulkBackfillRoute;
import dev.vepconnector.sinks.SinkBulkJobs;
import dev.vepconnector.sinks.SinkBulkJobs.JobRecord;
import dev.vepconnector.sinks.SinkBulkJobs.TakenJob;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Variable;
import org.apache.camel.component.salesforce.api.dto.bulkv2.ContentTypeEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.Job;
import org.apache.camel.component.salesforce.api.dto.bulkv2.JobStateEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.LineEndingEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.OperationEnum;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The steps of the Salesforce sink's Bulk API route ({@code routes/salesforce-bulk-backfill.yaml}): a backfill of
 * more than {@code bulk-backfill-above} cases is uploaded as Bulk API 2.0 upsert jobs of Case by
 * {@code VEP_Case_Id__c}, a job per {@code bulk-job-size} records, instead of a Composite call per record. Only
 * the Case's own fields go this way; what else the mapping does (related records, Tasks, files) is the
 * Composite path's, and a case whose job refuses it is one of the sink's dead letters, replayed through that path.
 */
@Component("salesforceBulkBackfill")
@ConditionalOnProperty(prefix = "vep.sinks.salesforce", name = "enabled", havingValue = "true")
public class SalesforceBulkBackfill implements BulkBackfillRoute {

    private static final Logger log = LoggerFactory.getLogger(SalesforceBulkBackfill.class);
    static final String SINK = "salesforce";
    /** The header camel-salesforce's bulk2 operations read the job id from. */
    static final String JOB_ID = "jobId";
    /**
     * Stored record characters per job, at most: a job's CSV, smaller than its records, stays far within Salesforce's
     * 150 MB per upload, and a job's records, mapped requests and CSV, all in memory while it is uploaded, within
     * a modest heap (about 100 MB at worst, for a job of long transcripts).
     */
    private static final long JOB_CHARACTERS = 16L * 1000 * 1000;
    private static final List<String> ROUTES = List.of("salesforce-bulk-backfill-upload", "salesforce-bulk-backfill-results");

    private final SinkBulkJobs jobs;
    private final SalesforceBulkProperties properties;
    private final SalesforceBulkCsv csv;
    private final SalesforceTranscript transcript;
    private final int transcriptFieldLength;
    private final ObjectMapper json;
    private final CamelContext camel;

    SalesforceBulkBackfill(SinkBulkJobs jobs, SalesforceBulkProperties properties, SalesforceBulkCsv csv, SalesforceTranscript transcript,
                           SalesforceSinkProperties sink, ObjectMapper json, CamelContext camel) {
        this.jobs = jobs;
        this.properties = properties;
        this.csv = csv;
        this.transcript = transcript;
        this.transcriptFieldLength = sink.transcript().fieldLength();
        this.json = json;
        this.camel = camel;
    }

    @Override
    public String sink() {
        return SINK;
    }

    @Override
    public int bulkAbove() {
        return properties.bulkBackfillAbove();
    }

    @Override
    public int jobRecords() {
        return properties.bulkJobSize();
    }

    @Override
    public long jobCharacters() {
        return JOB_CHARACTERS;
    }

    @Override
    public boolean available() {
        return ROUTES.stream().allMatch(route -> camel.getRoute(route) != null);
    }

    /** The upload route's first step: the next job to upload, its case records as the body; none: no {@code vepBulkJob} header. */
    public List<String> takeReadyJob(Exchange exchange) {
        Optional<TakenJob> job = jobs.takeReady(SINK);
        if (job.isEmpty()) {
            nothingPolled(exchange);
            return List.of();
        }
        exchange.getMessage().setHeader(SinkBulkJobs.JOB_HEADER, job.get().id());
        return job.get().records().stream().map(JobRecord::record).toList();
    }

    /**
     * Whether the record's transcript is longer than its field: the Composite path attaches it whole as a file
     * (and the Case's text says so), which a Bulk job cannot, so such a record goes by the Composite path.
     */
    public boolean cutForItsField(String record) throws IOException {
        return json.readTree(transcript.file(record, transcriptFieldLength)).path("attach").asBoolean();
    }

    /** The Bulk API job to create: an upsert of Case by VEP_Case_Id__c from CSV, lines ending in LF. */
    public Job newJob() {
        Job job = new Job();
        job.setObject("Case");
        job.setExternalIdFieldName(SalesforceBulkCsv.EXTERNAL_ID);
        job.setOperation(OperationEnum.UPSERT);
        job.setContentType(ContentTypeEnum.CSV);
        job.setLineEnding(LineEndingEnum.LF);
        return job;
    }

    /** Salesforce created the job: its id is kept before the upload, and given to the next steps. */
    public void created(Job created, @Header(SinkBulkJobs.JOB_HEADER) long id, Exchange exchange) {
        jobs.created(id, created.getId());
        exchange.getMessage().setHeader(JOB_ID, created.getId());
    }

    public void uploaded(@Header(SinkBulkJobs.JOB_HEADER) long id, @Header(JOB_ID) String jobId) {
        jobs.uploaded(id, properties.bulkPollInterval());
        log.info("Bulk job {} uploaded to Salesforce as job {}", id, jobId);
    }

    /** The results route's first step: the next job Salesforce has that is due for a look; none: no {@code vepBulkJob} header. */
    public void takeJobToPoll(Exchange exchange) {
        Optional<TakenJob> job = jobs.takeToPoll(SINK);
        if (job.isEmpty()) {
            nothingPolled(exchange);
            return;
        }
        exchange.getMessage().setHeader(SinkBulkJobs.JOB_HEADER, job.get().id());
        exchange.getMessage().setHeader(JOB_ID, job.get().remoteId());
    }

    public void stillRunning(@Header(SinkBulkJobs.JOB_HEADER) long id) {
        jobs.stillRunning(id, properties.bulkPollInterval());
    }

    /** {@code successfulResults}: those cases' Cases are upserted. */
    public void delivered(InputStream successfulResults, @Header(SinkBulkJobs.JOB_HEADER) long id) throws IOException {
        jobs.delivered(id, csv.caseIds(successfulResults));
    }

    /** {@code failedResults}: those cases are the sink's dead letters, with Salesforce's error. */
    public void refused(InputStream failedResults, @Header(SinkBulkJobs.JOB_HEADER) long id, @Header(JOB_ID) String jobId)
            throws IOException {
        Map<String, String> errors = csv.errors(failedResults);
        errors.replaceAll((caseId, error) -> "refused by Salesforce (Bulk API job " + jobId + "): " + error);
        jobs.refused(id, errors);
    }

    /** The job is over; what it did not process (a job that Failed or was Aborted midway) goes by the Composite path. */
    public void finished(@Variable("bulkJob") Job job, @Header(SinkBulkJobs.JOB_HEADER) long id) {
        String outcome = job.getState() + " (" + job.getNumberRecordsProcessed() + " processed, " + job.getNumberRecordsFailed()
                + " failed" + (job.getErrorMessage() == null ? "" : ": " + job.getErrorMessage()) + ")";
        jobs.finished(id, outcome, job.getState() == JobStateEnum.JOB_COMPLETE);
    }

    /** The job's upload never completed (its replica stopped): Salesforce's job is aborted, and the job uploaded anew. */
    public void reopen(@Header(SinkBulkJobs.JOB_HEADER) long id) {
        jobs.reopen(id);
    }

    /** Tells the scheduler that this poll found nothing, so it waits for the next one rather than polling again at once. */
    private static void nothingPolled(Exchange exchange) {
        exchange.setProperty(Exchange.SCHEDULER_POLLED_MESSAGES, false);
    }
}
