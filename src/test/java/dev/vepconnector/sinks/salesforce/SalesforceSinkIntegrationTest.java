package dev.vepconnector.sinks.salesforce;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.startup.CannotStartException;
import dev.vepconnector.support.RunningConnector;
import java.io.FileInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Salesforce sink against a WireMock fake of Salesforce's OAuth token endpoint and REST API: the
 * exact requests (token grants, the Composite upsert by external id, the mapped fields, the bearer
 * token) and the error paths (expired session, limits, validation errors, API usage near the limit).
 */
class SalesforceSinkIntegrationTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String COMPOSITE = "/services/data/v62.0/composite";
    static final String TOKEN = "/services/oauth2/token";

    final Setup setup = Setup.unique();
    final FakeVep vep = new FakeVep();
    final WireMockServer salesforce = new WireMockServer(options().dynamicPort());
    RunningConnector connector;

    @BeforeEach
    void setUp() throws Exception {
        salesforce.start();
        vep.declareExchange(setup.exchange());
    }

    @AfterEach
    void tearDown() {
        if (connector != null) {
            connector.close();
        }
        salesforce.stop();
        vep.deleteQueue(setup.queue());
        vep.deleteExchange(setup.exchange());
        vep.close();
    }

    @Test
    void clientCredentialsThenOneCompositeUpsertOfTheCaseByExternalIdWithTheMappedFields() throws Exception {
        stubToken("tok-1", STARTED, null);
        stubComposite(post(urlEqualTo(COMPOSITE)), 200, compositeOk(), "api-usage=25/15000");
        start(clientCredentials());
        publishConfiguredAgent();
        publishCase("sf-case-1", "positive");

        LoggedRequest upsert = awaitComposites(1).get(0);
        assertThat(upsert.getHeader("Authorization")).isEqualTo("Bearer tok-1");
        Map<String, String> grant = form(salesforce.findAll(postRequestedFor(urlEqualTo(TOKEN))).get(0).getBodyAsString());
        assertThat(grant).containsEntry("grant_type", "client_credentials").containsEntry("client_id", "connected-app-id")
                .containsEntry("client_secret", "connected-app-secret");
        JsonNode request = JSON.readTree(upsert.getBodyAsString());
        assertThat(request.get("allOrNone").asBoolean()).isTrue();
        JsonNode caseRequest = request.get("compositeRequest").get(0);
        assertThat(caseRequest.get("method").asText()).isEqualTo("PATCH");
        assertThat(caseRequest.get("url").asText()).isEqualTo("/services/data/v62.0/sobjects/Case/VEP_Case_Id__c/sf-case-1");
        JsonNode fields = caseRequest.get("body");
        assertThat(fields.get("Status").asText()).isEqualTo("Closed");
        assertThat(fields.get("Reason").asText()).isEqualTo("Resolved");
        assertThat(fields.get("Origin").asText()).isEqualTo("Chat");
        assertThat(fields.get("OwnerId").asText()).isEqualTo("0055g00000AbCdE");
        assertThat(fields.get("VEP_Revision__c").asInt()).isEqualTo(1);
        assertThat(fields.get("VEP_Handle_Time_Ms__c").asLong()).isEqualTo(60_000);
        assertThat(fields.has("Subject")).as("no case type known: left out, not blanked").isFalse();
        assertThat(fields.get("VEP_Transcript__c").asText()).contains("Visitor: Hi, where is my parcel?",
                "Agent Ada Berg: It arrives tomorrow", "(co-browsing) https://shop.example/track");
        assertThat(request.get("compositeRequest")).hasSize(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("vep_sink_delivered_total") == 1.0);
    }

    @Test
    void jwtBearerFlowSendsAnAssertionSignedWithTheConnectedAppsKey() throws Exception {
        stubToken("tok-jwt", STARTED, null);
        stubComposite(post(urlEqualTo(COMPOSITE)), 200, compositeOk(), null);
        start("--vep.sinks.salesforce.auth.flow=jwt", "--vep.sinks.salesforce.auth.client-id=connected-app-id",
                "--vep.sinks.salesforce.auth.username=integration@example.com",
                "--vep.sinks.salesforce.auth.keystore=file:" + Path.of("src/test/resources/tls/server.p12").toAbsolutePath(),
                "--vep.sinks.salesforce.auth.keystore-password=changeit");
        publishCase("sf-jwt-1", "neutral");
        LoggedRequest upsert = awaitComposites(1).get(0);
        assertThat(upsert.getHeader("Authorization")).isEqualTo("Bearer tok-jwt");

        Map<String, String> grant = form(salesforce.findAll(postRequestedFor(urlEqualTo(TOKEN))).get(0).getBodyAsString());
        assertThat(grant).containsEntry("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
        String[] jwt = grant.get("assertion").split("\\.");
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
        assertThat(claims.get("iss").asText()).isEqualTo("connected-app-id");
        assertThat(claims.get("sub").asText()).isEqualTo("integration@example.com");
        assertThat(claims.get("aud").asText()).isEqualTo(loginUrl());
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(certificate().getPublicKey());
        rs256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rs256.verify(Base64.getUrlDecoder().decode(jwt[2]))).as("signed with the key of the keystore").isTrue();
    }

    @Test
    void anExpiredSessionGetsANewTokenAndTheRequestIsRepeatedOnce() throws Exception {
        stubToken("tok-1", STARTED, "first-token-issued");
        stubToken("tok-2", "first-token-issued", "second-token-issued");
        stubComposite(post(urlEqualTo(COMPOSITE)).withHeader("Authorization", equalTo("Bearer tok-1")), 401,
                "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]", null);
        stubComposite(post(urlEqualTo(COMPOSITE)).withHeader("Authorization", equalTo("Bearer tok-2")), 200, compositeOk(), null);
        start(clientCredentials());
        publishCase("sf-expired-1", "positive");
        await().atMost(Duration.ofSeconds(20)).until(() -> metric("vep_sink_delivered_total") == 1.0);
        assertThat(salesforce.findAll(postRequestedFor(urlEqualTo(TOKEN)))).hasSize(2);
        assertThat(awaitComposites(2)).extracting(r -> r.getHeader("Authorization")).containsExactly("Bearer tok-1", "Bearer tok-2");
        assertThat(metric("vep_sink_failed_total")).as("the repeat is part of the same delivery").isZero();
    }

    @Test
    void requestLimitExceededIsRetriedAndAValidationErrorGoesToDeadLettersWithSalesforcesMessage() throws Exception {
        stubToken("tok-1", STARTED, null);
        stubComposite(post(urlEqualTo(COMPOSITE)).inScenario("limits").whenScenarioStateIs(STARTED).willSetStateTo("ok"), 403,
                "[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]", null);
        stubComposite(post(urlEqualTo(COMPOSITE)).inScenario("limits").whenScenarioStateIs("ok").willSetStateTo("validation"), 200,
                compositeOk(), null);
        stubComposite(post(urlEqualTo(COMPOSITE)).inScenario("limits").whenScenarioStateIs("validation"), 200, """
                {"compositeResponse": [{"body": [{"errorCode": "FIELD_CUSTOM_VALIDATION_EXCEPTION",
                  "message": "Closed cases need a reason", "fields": ["Reason"]}], "httpHeaders": {}, "httpStatusCode": 400,
                  "referenceId": "vepCase"}]}""", null);
        start(clientCredentials());
        publishCase("sf-limited-1", "positive");
        await().atMost(Duration.ofSeconds(20)).until(() -> metric("vep_sink_delivered_total") == 1.0);
        assertThat(metric("vep_sink_retried_total")).isEqualTo(1.0);

        publishCase("sf-invalid-1", "positive");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(deadLetters()).hasSize(1));
        assertThat((String) deadLetters().get(0).get("lastError")).contains("FIELD_CUSTOM_VALIDATION_EXCEPTION",
                "Closed cases need a reason", "Reason");
        assertThat(deadLetters().get(0).get("attempts")).isEqualTo(1);
    }

    @Test
    void theTranscriptCanGoToARelatedRecordKeyedByItsOwnExternalId() throws Exception {
        stubToken("tok-1", STARTED, null);
        stubComposite(post(urlEqualTo(COMPOSITE)), 200, compositeOk(), null);
        start(clientCredentials("--vep.sinks.salesforce.mapping=classpath:routes/salesforce-case-transcript-record.jq"));
        publishCase("sf-related-1", "unresolved");
        JsonNode requests = JSON.readTree(awaitComposites(1).get(0).getBodyAsString()).get("compositeRequest");
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).get("body").has("VEP_Transcript__c")).isFalse();
        assertThat(requests.get(0).get("body").get("Status").asText()).isEqualTo("Escalated");
        JsonNode transcript = requests.get(1);
        assertThat(transcript.get("url").asText()).isEqualTo("/services/data/v62.0/sobjects/VEP_Transcript__c/VEP_Transcript_Id__c/sf-related-1");
        assertThat(transcript.get("body").get("Case__r").get("VEP_Case_Id__c").asText()).isEqualTo("sf-related-1");
        assertThat(transcript.get("body").get("Body__c").asText()).contains("Visitor: Hi, where is my parcel?");
    }

    @Test
    void nearTheApiLimitTheSinkPauses() throws Exception {
        stubToken("tok-1", STARTED, null);
        stubComposite(post(urlEqualTo(COMPOSITE)), 200, compositeOk(), "api-usage=14000/15000");
        start(clientCredentials("--vep.sinks.salesforce.slow-down-pause=3s"));
        publishCase("sf-busy-1", "positive");
        awaitComposites(1);
        publishCase("sf-busy-2", "positive");
        List<LoggedRequest> both = awaitComposites(2);
        long gap = both.get(1).getLoggedDate().getTime() - both.get(0).getLoggedDate().getTime();
        assertThat(gap).as("paused at 93% of the daily limit").isGreaterThanOrEqualTo(2_900L);
    }

    @Test
    void aMappingJqCannotReadEndsTheStartWithWhereTheMistakeIs() throws Exception {
        Path mapping = setup.dataDirectory().resolve("salesforce-case.jq");
        Files.writeString(mapping, "# an edited mapping\n{allOrNone: true,\n compositeRequest: [ .caseId | ]}\n");
        assertThatThrownBy(() -> start(clientCredentials("--vep.sinks.salesforce.mapping=file:" + mapping)))
                .hasRootCauseInstanceOf(CannotStartException.class).rootCause()
                .hasMessageStartingWith("The Salesforce mapping file:" + mapping + " is no jq program: ").hasMessageContaining("line 3, column");
    }

    @Test
    void aFormerCaseObjectSettingEndsTheStartSayingWhereTheFieldsGoNow() {
        assertThatThrownBy(() -> start(clientCredentials("--vep.sinks.salesforce.case-object.fields.Subject=caseType.name")))
                .hasRootCauseInstanceOf(CannotStartException.class).rootCause()
                .hasMessageStartingWith("vep.sinks.salesforce.case-object.* is set").hasMessageContaining("vep.sinks.salesforce.mapping");
    }

    // --- helpers -------------------------------------------------------------------------------

    private String loginUrl() {
        return "http://127.0.0.1:" + salesforce.port();
    }

    private String[] clientCredentials(String... extra) {
        List<String> args = new ArrayList<>(List.of("--vep.sinks.salesforce.auth.flow=client-credentials",
                "--vep.sinks.salesforce.auth.client-id=connected-app-id", "--vep.sinks.salesforce.auth.client-secret=connected-app-secret"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private void start(String... extra) {
        List<String> args = new ArrayList<>(List.of("--vep.sinks.salesforce.enabled=true", "--vep.sinks.salesforce.login-url=" + loginUrl(),
                "--vep.sinks.salesforce.retry.initial-backoff=200ms", "--vep.sinks.file.enabled=false"));
        args.addAll(List.of(extra));
        connector = RunningConnector.start(setup.arguments(args.toArray(String[]::new)));
        await().atMost(Duration.ofSeconds(30)).until(connector::isConsuming);
    }

    private void stubToken(String token, String state, String nextState) {
        ScenarioMappingBuilder mapping = post(urlEqualTo(TOKEN)).inScenario("token").whenScenarioStateIs(state);
        if (nextState != null) {
            mapping = mapping.willSetStateTo(nextState);
        }
        salesforce.stubFor(mapping.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                {"access_token": "%s", "instance_url": "%s", "id": "%s/id/00D000000000001/005000000000001",
                 "token_type": "Bearer", "issued_at": "1764000000000", "signature": "c2lnbmF0dXJl"}""".formatted(token, loginUrl(), loginUrl()))));
    }

    private void stubComposite(MappingBuilder mapping, int status, String body, String limitInfo) {
        var response = aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
        if (limitInfo != null) {
            response = response.withHeader("Sforce-Limit-Info", limitInfo);
        }
        salesforce.stubFor(mapping.willReturn(response));
    }

    private static String compositeOk() {
        return """
                {"compositeResponse": [{"body": {"id": "5005g00000AbCdEAAV", "success": true, "errors": [], "created": true},
                  "httpHeaders": {"Location": "/services/data/v62.0/sobjects/Case/5005g00000AbCdEAAV"}, "httpStatusCode": 201,
                  "referenceId": "vepCase"}]}""";
    }

    private List<LoggedRequest> awaitComposites(int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> salesforce.findAll(postRequestedFor(urlEqualTo(COMPOSITE))).size() >= count);
        return salesforce.findAll(postRequestedFor(urlEqualTo(COMPOSITE)));
    }

    private void publishConfiguredAgent() throws Exception {
        vep.publish(setup.exchange(), "configuration.agent", """
                {"eventTime": "2026-11-23T08:00:00.000Z", "agentId": "agent-ada", "agentName": "Ada Berg",
                 "agentExternalId": {"Salesforce": "0055g00000AbCdE"}}""");
        await().atMost(Duration.ofSeconds(20)).until(() -> connector.jdbc().queryForObject(
                "SELECT COUNT(*) FROM configured_entity WHERE version > 0", Long.class) == 1);
    }

    private void publishCase(String caseId, String outcome) throws Exception {
        vep.publish(setup.exchange(), "case.opened", """
                {"eventTime": "2026-11-23T09:00:00.000Z", "caseId": "%s", "agentId": "agent-ada", "groupId": "g"}""".formatted(caseId));
        vep.publish(setup.exchange(), "case.closed", """
                {"eventTime": "2026-11-23T09:01:00.000Z", "caseId": "%s", "outcome": "%s"}""".formatted(caseId, outcome));
        vep.publish(setup.exchange(), "case.transcriptClosed", """
                {"eventTime": "2026-11-23T09:01:01.000Z", "caseId": "%s", "transcript": {"messages": [
                  {"eventTime": "2026-11-23T09:00:05.000Z", "speaker": {"visitorId": "v-1"}, "messageType": "chat",
                   "message": "Hi, where is my parcel?"},
                  {"eventTime": "2026-11-23T09:00:20.000Z", "speaker": {"agentId": {"id": "agent-ada"}}, "messageType": "chat",
                   "message": "It arrives tomorrow"},
                  {"eventTime": "2026-11-23T09:00:30.000Z", "speaker": {"agentId": {"id": "agent-ada"}}, "messageType": "navigation",
                   "url": "https://shop.example/track"}]}}""".formatted(caseId));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> values = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static Certificate certificate() throws Exception {
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream("src/test/resources/tls/server.p12")) {
            keystore.load(in, "changeit".toCharArray());
        }
        return keystore.getCertificate(keystore.aliases().nextElement());
    }

    private double metric(String name) {
        String text = connector.management().get().uri("/actuator/prometheus").retrieve().body(String.class);
        return text.lines().filter(l -> l.startsWith(name + "{") && l.contains("sink=\"salesforce\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> deadLetters() {
        return connector.http().get().uri("/api/sinks/salesforce/dead-letters").retrieve().body(List.class);
    }
}
