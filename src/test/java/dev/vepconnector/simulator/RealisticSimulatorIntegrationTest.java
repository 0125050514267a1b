package dev.vepconnector.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.support.CaseRecordSchema;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.RunningConnector;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The realistic contact center played 300 times faster than real time over the real broker, the
 * connector in the same application: every case becomes a complete record with its agents named and
 * a conversation of its case type, notes to no visitor, the card number masked; once the contact
 * center is done, the groups show empty queues.
 */
class RealisticSimulatorIntegrationTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final Setup setup = Setup.unique();
    final FakeVep probe = new FakeVep();
    RunningConnector connector;

    @AfterEach
    void cleanUp() {
        if (connector != null) {
            connector.close();
        }
        probe.deleteQueue(setup.queue());
        probe.deleteExchange(setup.exchange());
        probe.deleteExchange(setup.integrationExchange());
        probe.close();
    }

    @Test
    void aSpedUpContactCenterGivesCompleteCaseRecords() throws Exception {
        connector = RunningConnector.start(setup.arguments("--spring.profiles.active=simulator", "--vep.simulator.pacing=realistic",
                "--vep.simulator.time-scale=300", "--vep.simulator.cases=40", "--vep.simulator.seed=3", "--vep.cases.transcript-wait=1s",
                "--vep.sinks.file.directory=" + setup.dataDirectory().resolve("out")));
        VepSimulator simulator = connector.bean(VepSimulator.class);
        await().atMost(Duration.ofSeconds(90)).until(simulator::isFinished);

        await().atMost(Duration.ofSeconds(30)).until(() -> connector.jdbc().queryForObject(
                "SELECT COUNT(DISTINCT case_id) FROM case_record", Long.class), count -> count == 40);
        assertThat(connector.jdbc().queryForObject("SELECT COUNT(*) FROM dead_letter", Long.class)).isZero();

        List<JsonNode> records = latestRecords();
        assertThat(records).hasSize(40);
        Set<String> caseTypes = Set.of("Invoices", "Orders", "Technical issues", "Returns");
        int notes = 0;
        for (JsonNode record : records) {
            assertThat(CaseRecordSchema.violations(record)).as(record.toString()).isEmpty();
            assertThat(record.get("closedAt").isNull()).as("closed").isFalse();
            assertThat(caseTypes).contains(record.get("caseType").get("name").asText());
            assertThat(record.get("assignments")).allSatisfy(a -> assertThat(a.get("agent").get("name").asText()).isNotBlank());
            for (JsonNode message : record.path("transcript").path("messages")) {
                if (message.get("messageType").asText().equals("note")) {
                    notes++;
                    assertThat(message.get("recipients").toString()).doesNotContain("visitorId");
                }
                assertThat(message.path("message").asText()).doesNotContain("4111 1111 1111 1111");
            }
        }
        assertThat(records).anyMatch(r -> !r.get("transfers").isEmpty());
        assertThat(records).anyMatch(r -> r.get("transcript").get("messages").size() > 5);
        assertThat(notes).isPositive();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(groups())
                .hasSize(4).allSatisfy(g -> {
                    assertThat(g.get("numberOfVisitorsInQueue").asLong()).isZero();
                    assertThat(g.get("numberOfVisitorsInConversation").asLong()).isZero();
                }));
    }

    private List<JsonNode> latestRecords() throws Exception {
        List<String> bodies = connector.jdbc().queryForList("""
                SELECT r.record FROM case_record r
                WHERE r.revision = (SELECT MAX(l.revision) FROM case_record l WHERE l.case_id = r.case_id)""", String.class);
        List<JsonNode> records = new java.util.ArrayList<>();
        for (String body : bodies) {
            records.add(JSON.readTree(body));
        }
        return records;
    }

    private List<JsonNode> groups() throws Exception {
        JsonNode groups = JSON.readTree(connector.http().get().uri("/api/groups").retrieve().body(String.class));
        return java.util.stream.StreamSupport.stream(groups.spliterator(), false).toList();
    }
}
