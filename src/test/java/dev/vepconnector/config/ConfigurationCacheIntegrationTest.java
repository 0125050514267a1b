package dev.vepconnector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.GetResponse;
import dev.vepconnector.events.EntityKind;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.RunningConnector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatusCode;

/**
 * The configuration caches over the real broker: VEP's full set, then partial and late updates, merge
 * into what an operator reads from the API, survive a restart, and the agent collect command reaches
 * VEP's integration exchange, whose answer fills the agent cache.
 */
class ConfigurationCacheIntegrationTest {

    static final String ADA = "agent-ada";
    static final String BILLING = "group-billing";

    final Setup setup = Setup.unique();
    final FakeVep vep = new FakeVep();
    final String commandProbe = setup.queue() + ".commands";
    RunningConnector connector;

    @BeforeEach
    void vepOwnsItsExchanges() throws Exception {
        vep.declareExchange(setup.exchange());
        vep.bindProbeQueue(setup.integrationExchange(), commandProbe, "configuration.agent.collect");
    }

    @AfterEach
    void cleanUp() {
        if (connector != null) {
            connector.close();
        }
        vep.deleteQueue(setup.queue());
        vep.deleteQueue(commandProbe);
        vep.deleteExchange(setup.exchange());
        vep.deleteExchange(setup.integrationExchange());
        vep.close();
    }

    @Test
    void partialAndLateUpdatesMergeAndTheMergedStateSurvivesARestart() throws Exception {
        connector = start();
        publishFullSet();
        awaitAgent(agent -> assertThat(agent).containsEntry("name", "Ada Berg"));

        // A partial update: only the name. Email, groups and external ids keep their values.
        publish("configuration.agent", """
                {"eventTime": "2026-11-23T09:00:00.000Z", "agentId": "agent-ada", "agentName": "Ada Berg-Lind"}""");
        // A late event (older eventTime) arrives after it: it must not undo the newer name.
        publish("configuration.agent", """
                {"eventTime": "2026-11-23T08:30:00.000Z", "agentId": "agent-ada", "agentName": "Ada B.",
                 "agentDisplayName": "Ada B"}""");
        // An empty external-id map is a real value: the group has no external ids any more.
        publish("configuration.group", """
                {"eventTime": "2026-11-23T09:00:00.000Z", "groupId": "group-billing", "groupExternalId": {}}""");

        Map<String, Object> expectedAda = Map.of("id", ADA, "name", "Ada Berg-Lind", "displayName", "Ada B",
                "email", "ada.berg@example.com", "assignedGroups", List.of(BILLING),
                "externalIds", Map.of("Salesforce", "0055g00000AbCdE"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(get("/api/config/agents/" + ADA)).containsAllEntriesOf(expectedAda);
            assertThat(get("/api/config/groups/" + BILLING)).containsEntry("name", "Billing").containsEntry("externalIds", Map.of());
        });
        assertThat(connector.bean(EntityDirectory.class).agent(ADA).name()).isEqualTo("Ada Berg-Lind");
        assertThat(connector.bean(EntityDirectory.class).ref(EntityKind.CASE_TYPE, "casetype-orders"))
                .isEqualTo(new EntityRef("casetype-orders", "Orders", Map.of("Salesforce", "Orders")));
        assertThat(connector.bean(EntityDirectory.class).ref(EntityKind.GROUP, "group-nobody-configured"))
                .isEqualTo(EntityRef.unknown("group-nobody-configured"));
        assertThat(list("opportunities")).extracting(o -> o.get("name")).containsExactly("Checkout help");
        assertThat(list("solutions")).extracting(o -> o.get("name")).containsExactly("Chat offer");
        assertThat(metrics()).contains("vep_config_entities{application=\"vep-connector\",kind=\"agents\"} 2.0")
                .containsPattern("vep_config_last_update_timestamp_seconds\\{application=\"vep-connector\",kind=\"groups\"} 1\\.[0-9.]+E9");

        connector.close();
        connector = start();

        assertThat(get("/api/config/agents/" + ADA)).containsAllEntriesOf(expectedAda);
        assertThat(get("/api/config/groups/" + BILLING)).containsEntry("externalIds", Map.of());
        assertThat(list("agents")).hasSize(2);
        assertThat(status("/api/config/agents/agent-unknown")).isEqualTo(404);
        assertThat(status("/api/config/widgets")).isEqualTo(404);
    }

    @Test
    void theCollectCommandIsPublishedWhenBoundAndOnRequestAndVepsAnswerFillsTheAgentCache() throws Exception {
        connector = start();
        GetResponse onStart = awaitCommand();
        assertThat(onStart.getEnvelope().getRoutingKey()).isEqualTo("configuration.agent.collect");
        assertThat(onStart.getEnvelope().getExchange()).isEqualTo(setup.integrationExchange());

        // VEP answers with one configuration.agent event per agent.
        for (int i = 0; i < 25; i++) {
            publish("configuration.agent", """
                    {"eventTime": "2026-11-23T08:00:00.000Z", "agentId": "agent-%d", "agentName": "Agent %d",
                     "agentExternalId": {"Salesforce": "0055g0000000%03d"}}""".formatted(i, i, i));
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(list("agents")).hasSize(25));
        assertThat(connector.bean(EntityDirectory.class).agent("agent-7").externalIds()).containsEntry("Salesforce", "0055g0000000007");

        var response = connector.http().post().uri("/api/config/agents/collect").retrieve().toBodilessEntity();
        assertThat(response.getStatusCode().value()).isEqualTo(202);
        assertThat(awaitCommand().getBody()).asString(StandardCharsets.UTF_8).isEqualTo("{}");
    }

    @Test
    void aCollectCommandTheBrokerCannotRouteSaysWhichExchangeIsMissing() throws Exception {
        vep.deleteQueue(commandProbe);
        vep.deleteExchange(setup.integrationExchange());
        connector = start();
        await().atMost(Duration.ofSeconds(60)).until(connector::isConsuming);

        String answer = connector.http().post().uri("/api/config/agents/collect")
                .exchange((request, response) -> response.getStatusCode().value() + " " + new String(response.getBody().readAllBytes(),
                        StandardCharsets.UTF_8));

        assertThat(answer).startsWith("503 ").contains("no exchange '" + setup.integrationExchange() + "'");
    }

    @Test
    void replicasSharingTheDatabaseSeeEachOthersChanges() throws Exception {
        connector = start("--vep.config.refresh-interval=300ms");
        try (RunningConnector second = start("--vep.config.refresh-interval=300ms")) {
            // The two replicas compete for the queue: each update is merged by one of them only.
            for (int i = 0; i < 20; i++) {
                publish("configuration.group", """
                        {"eventTime": "2026-11-23T08:00:%02d.000Z", "groupId": "group-%d", "groupName": "Group %d"}""".formatted(i, i, i));
            }
            publish("configuration.group", """
                    {"eventTime": "2026-11-23T09:00:00.000Z", "groupId": "group-3", "groupExternalId": {"Salesforce": "00G3"}}""");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                for (RunningConnector replica : List.of(connector, second)) {
                    EntityRef group3 = replica.bean(EntityDirectory.class).ref(EntityKind.GROUP, "group-3");
                    assertThat(group3).isEqualTo(new EntityRef("group-3", "Group 3", Map.of("Salesforce", "00G3")));
                    assertThat(replica.bean(ConfigurationCaches.class).all(EntityKind.GROUP)).hasSize(20);
                }
            });
        }
    }

    private RunningConnector start(String... extra) {
        RunningConnector started = RunningConnector.start(setup.arguments(extra));
        await().atMost(Duration.ofSeconds(30)).until(started::isConsuming);
        return started;
    }

    private void publishFullSet() throws Exception {
        publish("configuration.agent", """
                {"eventTime": "2026-11-23T08:00:00.000Z", "agentId": "agent-ada", "agentEmail": "ada.berg@example.com",
                 "agentName": "Ada Berg", "agentDisplayName": "Ada", "agentAssignedGroups": ["group-billing"],
                 "agentExternalId": {"Salesforce": "0055g00000AbCdE"}}""");
        publish("configuration.agent", """
                {"eventTime": "2026-11-23T08:00:00.000Z", "agentId": "agent-bo", "agentName": "Bo Lind"}""");
        publish("configuration.group", """
                {"eventTime": "2026-11-23T08:00:00.000Z", "groupId": "group-billing", "groupName": "Billing",
                 "groupExternalId": {"Salesforce": "00G5g000001"}}""");
        publish("configuration.opportunity", """
                {"eventTime": "2026-11-23T08:00:00.000Z", "opportunityId": "opp-checkout", "opportunityName": "Checkout help"}""");
        publish("configuration.solution", """
                {"eventTime": "2026-11-23T08:00:00.000Z", "solutionId": "sol-chat", "solutionName": "Chat offer"}""");
        publish("configuration.caseType", """
                {"eventTime": "2026-11-23T08:00:00.000Z", "caseTypeId": "casetype-orders", "caseTypeName": "Orders",
                 "caseTypeExternalId": {"Salesforce": "Orders"}}""");
    }

    private void publish(String routingKey, String body) throws Exception {
        vep.publish(setup.exchange(), routingKey, body);
    }

    private GetResponse awaitCommand() {
        List<GetResponse> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            GetResponse response = vep.get(commandProbe);
            if (response != null) {
                got.add(response);
            }
            return !got.isEmpty();
        });
        return got.get(0);
    }

    private void awaitAgent(java.util.function.Consumer<Map<String, Object>> assertion) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(status("/api/config/agents/" + ADA)).isEqualTo(200);
            assertion.accept(get("/api/config/agents/" + ADA));
        });
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> get(String path) {
        return connector.http().get().uri(path).retrieve().body(Map.class);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> list(String kind) {
        return connector.http().get().uri("/api/config/" + kind).retrieve().body(List.class);
    }

    private int status(String path) {
        return connector.http().get().uri(path).retrieve().onStatus(HttpStatusCode::isError, (req, res) -> { })
                .toBodilessEntity().getStatusCode().value();
    }

    private String metrics() {
        return connector.management().get().uri("/actuator/prometheus").retrieve().body(String.class);
    }
}
