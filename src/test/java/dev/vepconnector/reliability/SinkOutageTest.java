package dev.vepconnector.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.vepconnector.support.CaseStream;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.RunningConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every sink down at once (the webhook receiver and Salesforce unreachable, the file sink's folder lost) while traffic
 * flows at a steady rate: ingestion keeps the same pace as before the outage, and once the sinks are
 * back every record revision reaches each of them, none twice. {@code -Dvep.outage.duration=5m} gives
 * the figure of the reliability table; CI uses a short outage.
 */
class SinkOutageTest {

    static final Duration OUTAGE = Duration.parse("PT" + System.getProperty("vep.outage.duration", "15s").toUpperCase());
    static final int RATE = 200;
    static final Duration BASELINE = Duration.ofSeconds(8);

    final Setup setup = Setup.unique();
    final FakeVep vep = new FakeVep();
    final Path out = setup.dataDirectory().resolve("out");
    WireMockServer receiver = new WireMockServer(options().dynamicPort());
    WireMockServer salesforce = new WireMockServer(options().dynamicPort());

    @AfterEach
    void cleanUp() {
        receiver.stop();
        salesforce.stop();
        vep.deleteQueue(setup.queue());
        vep.deleteExchange(setup.exchange());
        vep.close();
    }

    @Test
    void ingestionKeepsItsPaceWhileEverySinkIsDownAndEverythingArrivesOnceAfter() throws Exception {
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/hooks")).willReturn(aResponse().withStatus(200)));
        int port = receiver.port();
        salesforce.start();
        stubSalesforce();
        int salesforcePort = salesforce.port();
        vep.declareExchange(setup.exchange());
        try (RunningConnector connector = RunningConnector.start(setup.arguments("--vep.sinks.file.directory=" + out,
                "--vep.sinks.webhook.enabled=true", "--vep.sinks.webhook.url=http://127.0.0.1:" + port + "/hooks",
                "--vep.sinks.file.retry.max-attempts=100000", "--vep.sinks.webhook.retry.max-attempts=100000",
                "--vep.sinks.file.retry.max-backoff=2s", "--vep.sinks.webhook.retry.max-backoff=2s",
                "--vep.sinks.salesforce.enabled=true", "--vep.sinks.salesforce.login-url=http://127.0.0.1:" + salesforcePort,
                "--vep.sinks.salesforce.auth.flow=client-credentials", "--vep.sinks.salesforce.auth.client-id=app",
                "--vep.sinks.salesforce.auth.client-secret=secret", "--vep.sinks.salesforce.retry.max-attempts=100000",
                "--vep.sinks.salesforce.retry.max-backoff=2s",
                // the stubbed Composite answer is one Case upsert's: no customer lookups, one upsert per revision
                "--vep.sinks.salesforce.customer-matching.enabled=false"))) {
            await().atMost(Duration.ofSeconds(30)).until(connector::isConsuming);
            int cases = (int) ((BASELINE.toSeconds() * 2 + OUTAGE.toSeconds() + 10) * RATE / 5.5);
            List<String[]> stream = CaseStream.stream("outage-case-", cases);
            AtomicBoolean done = new AtomicBoolean();
            CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> publishAtRate(stream, done));

            double before = ingestionRate(connector, BASELINE);
            java.time.Instant stoppedAt = java.time.Instant.now();
            receiver.stop();
            salesforce.stop();
            // Read after stopping: a request answered between reading and stopping would be missed otherwise.
            List<String> deliveredBeforeOutage = receiver.findAll(postRequestedFor(urlEqualTo("/hooks"))).stream()
                    .map(r -> r.getHeader("webhook-id")).toList();
            List<String> upsertedBeforeOutage = upsertedRevisions(java.time.Instant.MIN);
            // A request that arrived as its peer stopped may have lost its response with it: the sink cannot know it
            // arrived and sends it again, which is what the idempotency key is for. Only those may arrive twice.
            java.time.Instant justBefore = stoppedAt.minusSeconds(2);
            java.util.Set<String> inFlightAtStop = new java.util.HashSet<>(receiver.findAll(postRequestedFor(urlEqualTo("/hooks"))).stream()
                    .filter(r -> r.getLoggedDate().toInstant().isAfter(justBefore)).map(r -> r.getHeader("webhook-id")).toList());
            inFlightAtStop.addAll(upsertedRevisions(justBefore));
            Files.move(out.resolve("cases"), out.resolve("cases-lost-mount"));
            Files.writeString(out.resolve("cases"), "the mount is gone");
            long outageStart = System.nanoTime();
            long recordsBeforeOutage = count(connector, "SELECT COUNT(*) FROM case_record");
            double during = ingestionRate(connector, OUTAGE);
            long recordsDuringOutage = count(connector, "SELECT COUNT(*) FROM case_record") - recordsBeforeOutage;
            remount(out.resolve("cases-lost-mount"), out.resolve("cases"));
            receiver = new WireMockServer(options().port(port));
            receiver.start();
            receiver.stubFor(post(urlEqualTo("/hooks")).willReturn(aResponse().withStatus(200)));
            salesforce = new WireMockServer(options().port(salesforcePort));
            salesforce.start();
            stubSalesforce();
            long outageMs = (System.nanoTime() - outageStart) / 1_000_000;
            publishing.get();

            long recoveredAt = System.nanoTime();
            await().atMost(Duration.ofMinutes(5)).until(() -> count(connector, "SELECT COUNT(*) FROM sink_delivery WHERE state <> 'DELIVERED'") == 0
                    && count(connector, "SELECT COUNT(DISTINCT case_id) FROM case_record") == cases);
            long drainMs = (System.nanoTime() - recoveredAt) / 1_000_000;
            long revisions = count(connector, "SELECT COUNT(*) FROM case_record");
            Map<String, Long> perId = java.util.stream.Stream.concat(deliveredBeforeOutage.stream(),
                            receiver.findAll(postRequestedFor(urlEqualTo("/hooks"))).stream().map(r -> r.getHeader("webhook-id")))
                    .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
            try (var files = Files.list(out.resolve("cases"))) {
                // Only records count: a write cut off when the folder vanished may leave a hidden temporary file.
                assertThat(files.filter(f -> f.getFileName().toString().endsWith(".json")).count()).isEqualTo(cases);
            }
            assertThat(count(connector, "SELECT COUNT(*) FROM sink_delivery WHERE sink = 'file' AND state = 'DELIVERED'")).isEqualTo(revisions);
            assertThat(perId).as("every revision at the webhook receiver").hasSize((int) revisions);
            assertThat(perId).as("no revision twice at the webhook receiver, but one in flight as it stopped")
                    .allSatisfy((id, n) -> assertThat(n == 1 || n == 2 && inFlightAtStop.contains(id)).as(id + " x" + n).isTrue());
            List<String> upserts = java.util.stream.Stream.concat(upsertedBeforeOutage.stream(),
                    upsertedRevisions(java.time.Instant.MIN).stream()).toList();
            assertThat(new java.util.HashSet<>(upserts)).as("every revision upserted in Salesforce").hasSize((int) revisions);
            Map<String, Long> upsertsPerRevision = upserts.stream().collect(Collectors.groupingBy(u -> u, Collectors.counting()));
            assertThat(upsertsPerRevision).as("none twice, but one in flight as Salesforce stopped")
                    .allSatisfy((id, n) -> assertThat(n == 1 || n == 2 && inFlightAtStop.contains(id)).as(id + " x" + n).isTrue());
            long resentInFlight = perId.values().stream().filter(n -> n > 1).count()
                    + upsertsPerRevision.values().stream().filter(n -> n > 1).count();
            // Facts, not rates (the rates, printed below, depend on the machine's load): ingestion and record
            // building went on while every sink was down.
            assertThat(during).as("events ingested per second while every sink was down").isPositive();
            assertThat(recordsDuringOutage).as("case records built while every sink was down").isPositive();
            System.out.printf("[figures] sink outage: file, webhook and Salesforce sinks down %d ms while %d events/s flowed; ingestion %.0f events/s "
                    + "before, %.0f during; all %d revisions of %d cases at each sink %d ms after the last event, none twice (%d in flight as "
                    + "a peer stopped were sent again)%n", outageMs, RATE, before, during, revisions, cases, drainMs, resentInFlight);
        }
    }

    private void publishAtRate(List<String[]> stream, AtomicBoolean done) {
        long start = System.nanoTime();
        try {
            for (int i = 0; i < stream.size(); i++) {
                long due = start + i * 1_000_000_000L / RATE;
                long wait = (due - System.nanoTime()) / 1_000_000;
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                vep.publish(setup.exchange(), stream.get(i)[0], stream.get(i)[1]);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            done.set(true);
        }
    }

    private void stubSalesforce() {
        String url = "http://127.0.0.1:" + salesforce.port();
        salesforce.stubFor(post(urlEqualTo("/services/oauth2/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"access_token": "t", "instance_url": "%s", "id": "%s/id/00D000000000001/005000000000001",
                         "token_type": "Bearer", "issued_at": "1764000000000", "signature": "c2ln"}""".formatted(url, url))));
        salesforce.stubFor(post(urlEqualTo("/services/data/v62.0/composite")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"compositeResponse": [{"body": {"id": "5005g00000AbCdEAAV", "success": true, "errors": []},
                          "httpHeaders": {}, "httpStatusCode": 200, "referenceId": "vepCase"}]}""")));
    }

    /** The Case upsert URL and revision of every Composite call Salesforce received after {@code since}. */
    private List<String> upsertedRevisions(java.time.Instant since) {
        return salesforce.findAll(postRequestedFor(urlEqualTo("/services/data/v62.0/composite"))).stream()
                .filter(r -> r.getLoggedDate().toInstant().isAfter(since)).map(r -> {
            try {
                var request = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.getBodyAsString()).get("compositeRequest").get(0);
                return request.get("url").asText() + "#" + request.get("body").get("VEP_Revision__c").asText();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
    }

    /** Events stored per second over the window. */
    private static double ingestionRate(RunningConnector connector, Duration window) {
        long from = count(connector, "SELECT COUNT(*) FROM event_log");
        long start = System.nanoTime();
        await().pollDelay(window).atMost(window.plusSeconds(5)).until(() -> true);
        long to = count(connector, "SELECT COUNT(*) FROM event_log");
        return (to - from) / ((System.nanoTime() - start) / 1e9);
    }

    private static long count(RunningConnector connector, String sql) {
        Long n = connector.jdbc().queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }

    /**
     * The mount comes back in place of the file that stood for it. The file sink keeps retrying meanwhile,
     * and camel-file creates a missing folder: a write between the file's removal and the mount's return
     * makes the folder anew. What was written there stays, moved into the returning mount.
     */
    private static void remount(Path mount, Path at) throws java.io.IOException {
        Files.delete(at);
        while (true) {
            try {
                Files.move(mount, at);
                return;
            } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException madeAnew) {
                try (var written = Files.list(at)) {
                    for (Path file : written.toList()) {
                        Files.move(file, mount.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                Files.deleteIfExists(at);
            }
        }
    }
}
