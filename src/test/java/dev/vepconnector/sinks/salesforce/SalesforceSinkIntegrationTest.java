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
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.time.Instant;
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
 * token) and the error paths (expired session, limits, validation errors, API usage near the limit);
 * and, against a fake org ({@link FakeSalesforce}), a reopened case from VEP's events to its Case, Contact
 * and Tasks, the unmatched list through the API, and the API calls per record.
 */
class SalesforceSinkIntegrationTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String COMPOSITE = "/services/data/v62.0/composite";
    static final String TOKEN = "/services/oauth2/token";

    final Setup setup = Setup.unique();
    final FakeVep vep = new FakeVep();
    final WireMockServer salesforce = new WireMockServer(options().dynamicPort());
    FakeSalesforce org;
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
        if (org != null) {
            org.close();
        }
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
        JsonNode task = request.get("compositeRequest").get(1);
        assertThat(task.get("url").asText()).isEqualTo("/services/data/v62.0/sobjects/Task/VEP_Interaction_Id__c/sf-case-1%3A1");
        assertThat(task.get("body").get("WhatId").asText()).isEqualTo("@{vepCase.id}");
        assertThat(request.get("compositeRequest")).as("the Case and its conversation's Task").hasSize(2);
        assertThat(salesforce.findAll(postRequestedFor(urlEqualTo(COMPOSITE)))).as("no visitor profile: nothing to look up").hasSize(1);
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
        assertThat(requests).as("the Case, its transcript record, the conversation's Task").hasSize(3);
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
    void customerRulesThatCannotWorkEndTheStartSayingWhy() throws Exception {
        Path rules = setup.dataDirectory().resolve("salesforce-customer.jq");
        Files.writeString(rules, "{rules: [{field: \"Contact.Email\", value: .visitorProfile.email}], whenNone: \"leave\"}\n");
        assertThatThrownBy(() -> start(clientCredentials("--vep.sinks.salesforce.customer-matching.rules=file:" + rules)))
                .hasRootCauseInstanceOf(CannotStartException.class).rootCause()
                .hasMessageStartingWith("The Salesforce customer rules file:" + rules + " do not work: a customer rule's field is \"Contact.Email\"");
    }

    @Test
    void aFormerCaseObjectSettingEndsTheStartSayingWhereTheFieldsGoNow() {
        assertThatThrownBy(() -> start(clientCredentials("--vep.sinks.salesforce.case-object.fields.Subject=caseType.name")))
                .hasRootCauseInstanceOf(CannotStartException.class).rootCause()
                .hasMessageStartingWith("vep.sinks.salesforce.case-object.* is set").hasMessageContaining("vep.sinks.salesforce.mapping");
    }


    // --- against a fake org: customers, activities, every conversation ----------------------------

    @Test
    void aReopenedCaseGivesSalesforceBothConversationsWithATaskEachAndIsLinkedOnceAnAdminMergedTheDuplicateContacts() throws Exception {
        org = new FakeSalesforce();
        String kept = org.add("Contact", Map.of("LastName", "Berg", "Email", "ada@example.com"));
        String duplicate = org.add("Contact", Map.of("LastName", "Berg", "Email", "Ada@Example.com"));
        start(clientCredentials("--vep.sinks.salesforce.login-url=" + org.url()));
        publishConfiguredAgent();
        vep.publish(setup.exchange(), "case.visitorProfile", """
                {"eventTime": "2026-11-23T08:59:00.000Z", "caseId": "sf-reopened", "profile": {"email": "ada@example.com"}}""");
        publishConversation("sf-reopened", "2026-11-23T09:00:00.000Z", "2026-11-23T09:10:00.000Z", "Where is my parcel?", "It arrives tomorrow");

        await().atMost(Duration.ofSeconds(30)).until(() -> revisionIn(org, "sf-reopened") == 1);
        ObjectNode firstClose = org.record("Case", "VEP_Case_Id__c", "sf-reopened").orElseThrow();
        assertThat(firstClose.has("ContactId")).as("two Contacts have the e-mail").isFalse();
        List<Map<String, Object>> unmatched = unmatched();
        assertThat(unmatched).hasSize(1);
        assertThat(unmatched.get(0)).containsEntry("caseId", "sf-reopened").containsEntry("outcome", "several")
                .containsEntry("matchedBy", "Email").containsEntry("salesforceCaseId", firstClose.get("Id").asText());
        assertThat(unmatched.get(0).get("candidates")).asList().containsExactlyInAnyOrder(kept, duplicate);

        org.delete("Contact", duplicate); // the admin merges the two
        publishConversation("sf-reopened", "2026-11-23T10:00:00.000Z", "2026-11-23T10:20:00.000Z", "It did not arrive", "I am sending a new one");

        await().atMost(Duration.ofSeconds(30)).until(() -> revisionIn(org, "sf-reopened") == 2);
        ObjectNode theCase = org.record("Case", "VEP_Case_Id__c", "sf-reopened").orElseThrow();
        assertThat(theCase.get("ContactId").asText()).isEqualTo(kept);
        assertThat(theCase.get("VEP_Transcript__c").asText()).isEqualTo("""
                --- Conversation 1 ---
                2026-11-23 09:00:05 UTC - Visitor: Where is my parcel?
                2026-11-23 09:00:20 UTC - Agent Ada Berg: It arrives tomorrow
                --- Conversation 2 ---
                2026-11-23 10:00:05 UTC - Visitor: It did not arrive
                2026-11-23 10:00:20 UTC - Agent Ada Berg: I am sending a new one
                """);
        List<ObjectNode> tasks = org.records("Task");
        assertThat(tasks).extracting(t -> t.get("VEP_Interaction_Id__c").asText()).containsExactly("sf-reopened:1", "sf-reopened:2");
        assertThat(tasks).allSatisfy(t -> {
            assertThat(t.get("WhoId").asText()).isEqualTo(kept);
            assertThat(t.get("WhatId").asText()).isEqualTo(theCase.get("Id").asText());
            assertThat(t.get("Status").asText()).isEqualTo("Completed");
            assertThat(t.get("OwnerId").asText()).isEqualTo("0055g00000AbCdE");
        });
        assertThat(tasks.get(0).get("Description").asText()).contains("Where is my parcel?").doesNotContain("did not arrive");
        assertThat(tasks.get(1).get("Description").asText()).contains("It did not arrive").doesNotContain("parcel?");
        assertThat(tasks.get(1).get("Subject").asText()).isEqualTo("Chat: VEP case (conversation 2)");
        assertThat(unmatched()).as("linked by revision 2").isEmpty();
        assertThat(metric("vep_salesforce_customer_matches_total", "outcome=\"several\"")).isEqualTo(1.0);
        assertThat(metric("vep_salesforce_customer_matches_total", "outcome=\"one\"")).isEqualTo(1.0);
    }

    @Test
    void anErasedCaseLeavesTheUnmatchedList() throws Exception {
        org = new FakeSalesforce();
        start(clientCredentials("--vep.sinks.salesforce.login-url=" + org.url()));
        vep.publish(setup.exchange(), "case.visitorProfile", """
                {"eventTime": "2026-11-23T08:59:00.000Z", "caseId": "sf-unknown", "profile": {"email": "unknown@example.com"}}""");
        publishConversation("sf-unknown", "2026-11-23T09:00:00.000Z", "2026-11-23T09:10:00.000Z", "Hello", "Hi");
        await().atMost(Duration.ofSeconds(30)).until(() -> unmatched().size() == 1);
        assertThat(unmatched().get(0)).containsEntry("outcome", "none");

        connector.http().delete().uri("/api/cases/sf-unknown").retrieve().toBodilessEntity();

        assertThat(unmatched()).isEmpty();
    }

    @Test
    void apiCallsPerRecordBeforeAndAfterCustomerMatching() throws Exception {
        org = new FakeSalesforce();
        org.add("Contact", Map.of("LastName", "Berg", "Email", "known@example.com"));
        int records = 10;
        // before: the sink as it was, no lookups (what customer-matching.enabled=false still does)
        start(clientCredentials("--vep.sinks.salesforce.login-url=" + org.url(), "--vep.sinks.salesforce.customer-matching.enabled=false"));
        for (int i = 0; i < records; i++) {
            publishVisitor("before-" + i, i % 2 == 0 ? "known@example.com" : "new-" + i + "@example.com");
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> org.deliveries().size() == records);
        int callsBefore = org.apiCalls();
        int tokensBefore = org.tokenRequests().size();
        connector.close();

        org.reset();
        org.add("Contact", Map.of("LastName", "Berg", "Email", "known@example.com"));
        start(clientCredentials("--vep.sinks.salesforce.login-url=" + org.url()));
        for (int i = 0; i < records; i++) {
            publishVisitor("after-" + i, i % 2 == 0 ? "known@example.com" : "new-" + i + "@example.com");
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> org.deliveries().size() == records);
        int callsWithProfile = org.apiCalls();
        for (int i = 0; i < records; i++) {
            publishCase("anonymous-" + i, "positive");
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> org.deliveries().size() == 2 * records);
        int callsAnonymous = org.apiCalls() - callsWithProfile;
        publishLongConversation("long-1", "known@example.com", 1500);
        await().atMost(Duration.ofSeconds(60)).until(() -> org.deliveries().size() == 2 * records + 1);
        int callsLong = org.apiCalls() - callsWithProfile - callsAnonymous;
        int tokensAfter = org.tokenRequests().size();

        assertThat(callsBefore).as("before: one Composite call per record").isEqualTo(records);
        assertThat(callsWithProfile).as("a visitor with an e-mail: one lookup call, one Composite call").isEqualTo(2 * records);
        assertThat(callsAnonymous).as("nothing to look up: one Composite call").isEqualTo(records);
        assertThat(callsLong).as("the Contact query and the file check share the lookup call").isEqualTo(2);
        assertThat(org.lookups().get(org.lookups().size() - 1).get("compositeRequest")).hasSize(2);
        assertThat(tokensBefore).isEqualTo(1);
        assertThat(tokensAfter).isEqualTo(1);
        System.out.printf("[figures] Salesforce API calls per record: before %.1f (one Composite call); after, a visitor with an e-mail or "
                        + "phone %.1f (one lookup Composite of SOQL queries + one Composite call), an anonymous visitor %.1f, a transcript over its "
                        + "field %.1f (the file check shares the lookup); OAuth: %d token request per connector start, before and after%n",
                (double) callsBefore / records, (double) callsWithProfile / records, (double) callsAnonymous / records, (double) callsLong,
                tokensAfter);
    }

    private int revisionIn(FakeSalesforce org, String caseId) {
        return org.record("Case", "VEP_Case_Id__c", caseId).map(c -> c.path("VEP_Revision__c").asInt()).orElse(0);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> unmatched() {
        return connector.http().get().uri("/api/sinks/salesforce/unmatched").retrieve().body(List.class);
    }

    /** One time the case is open: opened by Ada, two messages, closed as unresolved (so it can be reopened), its transcript. */
    private void publishConversation(String caseId, String openedAt, String closedAt, String visitorSays, String agentSays) throws Exception {
        Instant opened = Instant.parse(openedAt);
        vep.publish(setup.exchange(), "case.opened", """
                {"eventTime": "%s", "caseId": "%s", "agentId": "agent-ada", "groupId": "g"}""".formatted(openedAt, caseId));
        vep.publish(setup.exchange(), "case.closed", """
                {"eventTime": "%s", "caseId": "%s", "outcome": "unresolved"}""".formatted(closedAt, caseId));
        vep.publish(setup.exchange(), "case.transcriptClosed", """
                {"eventTime": "%s", "caseId": "%s", "transcript": {"messages": [
                  {"eventTime": "%s", "speaker": {"visitorId": "v-1"}, "messageType": "chat", "message": "%s"},
                  {"eventTime": "%s", "speaker": {"agentId": {"id": "agent-ada"}}, "messageType": "chat", "message": "%s"}]}}"""
                .formatted(Instant.parse(closedAt).plusSeconds(1), caseId, opened.plusSeconds(5), visitorSays, opened.plusSeconds(20), agentSays));
    }

    private void publishVisitor(String caseId, String email) throws Exception {
        vep.publish(setup.exchange(), "case.visitorProfile", """
                {"eventTime": "2026-11-23T08:59:00.000Z", "caseId": "%s", "profile": {"email": "%s"}}""".formatted(caseId, email));
        publishCase(caseId, "positive");
    }

    private void publishLongConversation(String caseId, String email, int messages) throws Exception {
        vep.publish(setup.exchange(), "case.visitorProfile", """
                {"eventTime": "2026-11-23T08:59:00.000Z", "caseId": "%s", "profile": {"email": "%s"}}""".formatted(caseId, email));
        vep.publish(setup.exchange(), "case.opened", """
                {"eventTime": "2026-11-23T09:00:00.000Z", "caseId": "%s", "agentId": "agent-ada", "groupId": "g"}""".formatted(caseId));
        vep.publish(setup.exchange(), "case.closed", """
                {"eventTime": "2026-11-23T11:00:00.000Z", "caseId": "%s", "outcome": "positive"}""".formatted(caseId));
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < messages; i++) {
            list.append(i == 0 ? "" : ",").append("""
                    {"eventTime": "%s", "speaker": {"visitorId": "v-1"}, "messageType": "chat", "message": "message %04d %s"}"""
                    .formatted(Instant.parse("2026-11-23T09:00:00Z").plusSeconds(i + 1), i, "x".repeat(90)));
        }
        vep.publish(setup.exchange(), "case.transcriptClosed", """
                {"eventTime": "2026-11-23T11:00:01.000Z", "caseId": "%s", "transcript": {"messages": [%s]}}""".formatted(caseId, list));
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
        return metric(name, "sink=\"salesforce\"");
    }

    private double metric(String name, String label) {
        String text = connector.management().get().uri("/actuator/prometheus").retrieve().body(String.class);
        return text.lines().filter(l -> l.startsWith(name + "{") && l.contains(label))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> deadLetters() {
        return connector.http().get().uri("/api/sinks/salesforce/dead-letters").retrieve().body(List.class);
    }
}
