package dev.vepconnector.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vepconnector.events.EntityKind;
import dev.vepconnector.config.ConfigurationCaches;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.RunningConnector;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator driving the real broker with the connector in the same application: VEP's whole
 * configuration arrives once the queue is bound, every simulated case becomes a record, and the agent
 * collect command is answered with every agent, as VEP does.
 */
class SimulatorIntegrationTest {

    final Setup setup = Setup.unique();
    final FakeVep probe = new FakeVep();
    RunningConnector connector;

    @AfterEach
    void cleanUp() {
        if (connector != null) {
            connector.close();
        }
        probe.deleteQueue(setup.queue());
        probe.deleteQueue(setup.queue() + ".agents");
        probe.deleteExchange(setup.exchange());
        probe.deleteExchange(setup.integrationExchange());
        probe.close();
    }

    @Test
    void simulatedCasesBecomeRecordsAndTheCollectCommandIsAnswered() throws Exception {
        connector = RunningConnector.start(setup.arguments("--spring.profiles.active=simulator", "--vep.simulator.cases=60",
                "--vep.simulator.rate=0", "--vep.simulator.seed=11", "--vep.cases.transcript-wait=1s",
                "--vep.sinks.file.directory=" + setup.dataDirectory().resolve("out")));
        VepSimulator simulator = connector.bean(VepSimulator.class);
        await().atMost(Duration.ofSeconds(60)).until(simulator::isFinished);

        ConfigurationCaches caches = connector.bean(ConfigurationCaches.class);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(caches.all(EntityKind.GROUP)).hasSize(4).allSatisfy(g -> assertThat(g.name()).isNotBlank());
            assertThat(caches.all(EntityKind.AGENT)).hasSize(12).allSatisfy(a -> assertThat(a.externalIds()).containsKey("Salesforce"));
            assertThat(caches.all(EntityKind.CASE_TYPE)).hasSize(3);
            assertThat(caches.all(EntityKind.OPPORTUNITY)).hasSize(3);
            assertThat(caches.all(EntityKind.SOLUTION)).hasSize(3);
            assertThat(connector.jdbc().queryForObject("SELECT COUNT(DISTINCT case_id) FROM case_record", Long.class)).isEqualTo(60);
        });
        assertThat(connector.jdbc().queryForObject("SELECT COUNT(*) FROM dead_letter", Long.class)).isZero();
        assertThat(simulator.published()).containsKeys("case.created", "group.loadChanged", "group.performanceTimers");

        probe.bindProbeQueue(setup.exchange(), setup.queue() + ".agents", "configuration.agent");
        connector.http().post().uri("/api/config/agents/collect").retrieve().toBodilessEntity();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            int seen = 0;
            while (probe.get(setup.queue() + ".agents") != null) {
                seen++;
            }
            return seen;
        }, count -> count == 12);
    }
}
