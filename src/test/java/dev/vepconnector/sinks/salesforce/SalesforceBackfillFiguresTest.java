package dev.vepconnector.sinks.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.support.CaseStream;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.RunningConnector;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * The figure for docs/salesforce.md: records per second through a Salesforce backfill against the fake, record
 * by record (Composite) and in Bulk API jobs, and the API calls each took; printed as {@code [figures] ...}.
 * The sink is switched on after the records are stored, as when an org is connected later.
 * {@code -Dvep.figures.records=} and {@code -Dvep.figures.bulk=} set the sizes.
 */
class SalesforceBackfillFiguresTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int RECORDS = Integer.getInteger("vep.figures.records", 300);
    static final int BULK = Integer.getInteger("vep.figures.bulk", 3000);

    final Setup setup = Setup.unique();
    final FakeVep vep = new FakeVep();
    final FakeSalesforce salesforce = new FakeSalesforce();
    RunningConnector connector;

    @AfterEach
    void tearDown() {
        if (connector != null) {
            connector.close();
        }
        salesforce.close();
        vep.deleteQueue(setup.queue());
        vep.deleteExchange(setup.exchange());
        vep.close();
    }

    @Test
    void recordsPerSecondThroughABackfillRecordByRecordAndInBulkJobs() throws Exception {
        vep.declareExchange(setup.exchange());
        connector = RunningConnector.start(setup.arguments("--vep.sinks.file.enabled=false"));
        await().atMost(Duration.ofSeconds(30)).until(connector::isConsuming);
        vep.publishAll(setup.exchange(), CaseStream.stream("figure-a-", RECORDS));
        awaitRecords(RECORDS);
        Instant split = emittedAt("MAX").plusNanos(1000);
        vep.publishAll(setup.exchange(), CaseStream.stream("figure-b-", BULK));
        awaitRecords(RECORDS + BULK);
        Instant from = emittedAt("MIN").minusMillis(1);
        Instant to = emittedAt("MAX").plusNanos(1000);
        connector.close();

        connector = RunningConnector.start(setup.arguments("--vep.sinks.file.enabled=false", "--vep.sinks.salesforce.enabled=true",
                "--vep.sinks.salesforce.login-url=" + salesforce.url(), "--vep.sinks.salesforce.auth.flow=client-credentials",
                "--vep.sinks.salesforce.auth.client-id=connected-app-id", "--vep.sinks.salesforce.auth.client-secret=connected-app-secret",
                "--vep.sinks.salesforce.bulk-poll-interval=1s"));
        await().atMost(Duration.ofSeconds(30)).until(connector::isConsuming);

        Figure composite = time(from, split, RECORDS, "records");
        Figure bulk = time(split, to, BULK, "bulk");
        System.out.println(composite.line("record by record (Composite, concurrency 1)"));
        System.out.println(bulk.line("in Bulk API 2.0 jobs (bulk-job-size 2000, bulk-poll-interval 1s)"));
        assertThat(bulk.calls()).isLessThan(composite.calls());
    }

    record Figure(int records, long millis, int calls) {

        String line(String how) {
            return String.format(Locale.ROOT, "[figures] salesforce backfill %s: %d records in %.1f s = %.0f records/s, %d API calls (%.3f per record)",
                    how, records, millis / 1000.0, records * 1000.0 / millis, calls, (double) calls / records);
        }
    }

    /** From the request to the backfill's end, and the org's API calls in that time. */
    private Figure time(Instant from, Instant to, int records, String mode) throws Exception {
        int callsBefore = salesforce.apiCalls();
        long started = System.nanoTime();
        JsonNode backfill = JSON.readTree(connector.http().post().uri("/api/sinks/salesforce/backfill").contentType(MediaType.APPLICATION_JSON)
                .body("{\"from\": \"" + from + "\", \"to\": \"" + to + "\"}").retrieve().body(String.class));
        assertThat(backfill.get("mode").asText()).isEqualTo(mode);
        long id = backfill.get("id").asLong();
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100)).until(() -> state(id).get("state").asText().equals("finished"));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(state(id).get("delivered").asInt()).isEqualTo(records);
        return new Figure(records, millis, salesforce.apiCalls() - callsBefore);
    }

    private JsonNode state(long id) throws Exception {
        return JSON.readTree(connector.http().get().uri("/api/sinks/salesforce/backfills/" + id).retrieve().body(String.class));
    }

    private void awaitRecords(int records) {
        await().atMost(Duration.ofMinutes(5)).until(() -> connector.jdbc().queryForObject("SELECT COUNT(*) FROM case_record", Long.class) == records);
    }

    private Instant emittedAt(String aggregate) {
        return connector.jdbc().queryForObject("SELECT " + aggregate + "(emitted_at) FROM case_record", OffsetDateTime.class).toInstant();
    }
}
