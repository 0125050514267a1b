package dev.vepconnector.sinks.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vepconnector.sinks.SinkFailure;
import dev.vepconnector.sinks.SinkFailures;
import dev.vepconnector.support.CaseRecordSchema;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.SinkRouteExchanges;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Salesforce route as the integration team reads it (routes/sink-salesforce.yaml with the jar's
 * mapping), fed from a direct endpoint instead of the delivery queue and answered by a mock instead of
 * Salesforce: what the jq mapping makes of representative records, and how Salesforce's answers end the
 * delivery (delivered, refused into the dead letters, retried, paused near the API limit). Its records have
 * no visitor profile and short transcripts, so the route makes no lookup call; SalesforceOrgRouteTest runs
 * the route against a fake org for customers, activities and long transcripts.
 */
@CamelSpringBootTest
@SpringBootTest(properties = {"vep.sinks.salesforce.enabled=true", "vep.sinks.salesforce.auth.flow=client-credentials",
        "vep.sinks.salesforce.auth.client-id=app", "vep.sinks.salesforce.auth.client-secret=secret",
        "vep.sinks.file.enabled=false"})
class SalesforceRouteTest {

    static final Setup SETUP = Setup.unique();
    static final FakeVep VEP = new FakeVep();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String RECORDS = "direct:salesforce-records";
    static final String CASE_URL = "/services/data/v62.0/sobjects/Case/VEP_Case_Id__c/";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        SETUP.register(registry);
    }

    @BeforeAll
    static void vepCreatesItsExchange() throws Exception {
        VEP.declareExchange(SETUP.exchange());
    }

    @AfterAll
    static void cleanUp() {
        VEP.deleteQueue(SETUP.queue());
        VEP.deleteExchange(SETUP.exchange());
        VEP.close();
    }

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    SinkFailures failures;
    MockEndpoint salesforce;

    @BeforeEach
    void driveTheRouteDirectlyAndAnswerForSalesforce() throws Exception {
        if (camel.hasEndpoint(RECORDS) == null) {
            AdviceWith.adviceWith(camel, "sink-salesforce", route -> {
                route.replaceFromWith(RECORDS);
                route.weaveById("send-to-salesforce").replace().to("mock:salesforce");
            });
        }
        salesforce = camel.getEndpoint("mock:salesforce", MockEndpoint.class);
        salesforce.reset();
        answer(200, compositeOk(), "api-usage=25/15000");
    }

    @Test
    void aClosedCaseBecomesOneAllOrNoneUpsertOfTheCaseByItsIdWithTheMappedFieldsAndItsTranscript() throws Exception {
        assertThat(deliver("case 7/A", """
                {"schemaVersion": 1, "caseId": "case 7/A", "revision": 3, "createdAt": "2026-11-23T09:15:02.120Z",
                 "closedAt": "2026-11-23T09:27:40.003Z", "outcome": "positive",
                 "opportunity": {"id": "o-1", "name": "Checkout help"}, "solution": {"id": "s-1", "name": "Chat offer"},
                 "caseType": {"id": "t-1", "name": "Orders"},
                 "assignments": [
                   {"agent": {"id": "agent-ada", "name": "Ada Berg", "externalIds": {"Salesforce": "0055g00000AdAAA"}},
                    "openedAt": "2026-11-23T09:16:10.000Z", "endReason": "transferred"},
                   {"agent": {"id": "agent-bo", "name": "Bo Lind", "externalIds": {"Salesforce": "0055g00000BoBBB"}},
                    "openedAt": "2026-11-23T09:21:05.000Z", "endReason": "closed"}],
                 "transcript": {"messages": [
                   {"eventTime": "2026-11-23T09:16:12.000Z", "speaker": {"visitorId": "v-1"}, "messageType": "chat",
                    "message": "Hi, I need to change my address"},
                   {"eventTime": "2026-11-23T09:16:30.500Z", "speaker": {"agentId": {"id": "agent-ada"}}, "messageType": "chat",
                    "message": "Of course"},
                   {"eventTime": "2026-11-23T09:17:00.000Z", "speaker": {"agentId": {"id": "agent-ada"}}, "messageType": "navigation",
                    "url": "https://shop.example/account"},
                   {"eventTime": "2026-11-23T09:22:00.000Z", "speaker": {"agentId": {"id": "agent-bo"}}, "messageType": "note",
                    "message": "Address changed"},
                   {"eventTime": "2026-11-23T09:23:00.000Z", "speaker": {"agentId": {"id": "agent-unknown"}}, "messageType": "chat",
                    "message": "Anything else?"},
                   {"eventTime": "2026-11-23T09:24:00.000Z", "speaker": {}, "messageType": "title", "message": "Address change"}]},
                 "transfers": [], "transcriptMissing": false, "handleTimeMs": 690003, "events": []}""").getException()).isNull();

        JsonNode request = sentRequest();
        assertThat(request.get("allOrNone").asBoolean()).isTrue();
        assertThat(request.get("compositeRequest")).hasSize(2);
        JsonNode upsert = request.get("compositeRequest").get(0);
        assertThat(upsert.get("method").asText()).isEqualTo("PATCH");
        assertThat(upsert.get("url").asText()).isEqualTo(CASE_URL + "case%207%2FA");
        assertThat(upsert.get("referenceId").asText()).isEqualTo("vepCase");
        JsonNode fields = upsert.get("body");
        assertThat(fields.get("VEP_Transcript__c").asText()).isEqualTo("""
                2026-11-23 09:16:12 UTC - Visitor: Hi, I need to change my address
                2026-11-23 09:16:30 UTC - Agent Ada Berg: Of course
                2026-11-23 09:17:00 UTC - Agent Ada Berg: (co-browsing) https://shop.example/account
                2026-11-23 09:22:00 UTC - Agent Bo Lind: (note) Address changed
                2026-11-23 09:23:00 UTC - Agent: Anything else?
                2026-11-23 09:24:00 UTC - System: (title) Address change
                """);
        String transcript = fields.get("VEP_Transcript__c").asText();
        ((ObjectNode) fields).remove("VEP_Transcript__c");
        assertThat(fields).as("no visitor profile: no Contact to link").isEqualTo(JSON.readTree("""
                {"Subject": "Orders", "Status": "Closed", "Reason": "Resolved", "Origin": "Chat",
                 "OwnerId": "0055g00000BoBBB", "VEP_Opportunity__c": "Checkout help", "VEP_Solution__c": "Chat offer",
                 "VEP_Case_Type__c": "Orders", "VEP_Handle_Time_Ms__c": 690003, "VEP_Revision__c": 3}"""));

        JsonNode task = request.get("compositeRequest").get(1);
        assertThat(task.get("method").asText()).isEqualTo("PATCH");
        assertThat(task.get("url").asText()).isEqualTo("/services/data/v62.0/sobjects/Task/VEP_Interaction_Id__c/case%207%2FA%3A1");
        assertThat(task.get("body")).isEqualTo(JSON.createObjectNode().put("Subject", "Chat: Orders").put("Status", "Completed")
                .put("Priority", "Normal").put("ActivityDate", "2026-11-23").put("Description", transcript).put("OwnerId", "0055g00000BoBBB")
                .put("WhatId", "@{vepCase.id}"));
    }

    @Test
    void anUnresolvedCaseWithoutTheLastAgentsSalesforceIdOrACaseTypeLeavesThoseFieldsAsTheyAre() throws Exception {
        deliver("case-2", """
                {"schemaVersion": 1, "caseId": "case-2", "revision": 1, "closedAt": "2026-11-23T09:27:40.003Z", "outcome": "unresolved",
                 "assignments": [
                   {"agent": {"id": "agent-ada", "name": "Ada Berg", "externalIds": {"Salesforce": "0055g00000AdAAA"}},
                    "openedAt": "2026-11-23T09:16:10.000Z", "endReason": "transferred"},
                   {"agent": {"id": "agent-new"}, "openedAt": "2026-11-23T09:21:05.000Z", "endReason": "closed"}],
                 "transfers": [], "transcriptMissing": true, "events": []}""");

        JsonNode fields = sentRequest().get("compositeRequest").get(0).get("body");
        assertThat(fields.get("Status").asText()).isEqualTo("Escalated");
        assertThat(fields.get("Reason").asText()).isEqualTo("Follow-up needed");
        assertThat(fields.has("OwnerId")).as("the last agent has no Salesforce id: the owner stays").isFalse();
        assertThat(fields.has("Subject")).as("no case type known: left out, not blanked").isFalse();
        assertThat(fields.has("VEP_Case_Type__c")).isFalse();
        assertThat(fields.has("VEP_Opportunity__c")).isFalse();
        assertThat(fields.get("VEP_Transcript__c").asText()).isEqualTo("(VEP sent no transcript for this case)\n");
    }

    @Test
    void theRelatedRecordVariantUpsertsTheTranscriptBesideTheCaseLinkedByTheCasesExternalId() throws Exception {
        Expression mapping = camel.resolveLanguage("jq").createExpression("resource:classpath:routes/salesforce-case-transcript-record.jq");
        mapping.init(camel);
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody("""
                {"schemaVersion": 1, "caseId": "case-3", "revision": 2, "outcome": "negative", "assignments": [], "events": []}""");
        exchange.setVariable("transcriptText", "2026-11-23 09:16:12 UTC - Visitor: Hi\n");
        exchange.setVariable("dataPath", "/services/data/v62.0");

        JsonNode requests = JSON.readTree(mapping.evaluate(exchange, String.class)).get("compositeRequest");
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).get("url").asText()).isEqualTo(CASE_URL + "case-3");
        assertThat(requests.get(0).get("body").get("Status").asText()).isEqualTo("Closed");
        assertThat(requests.get(0).get("body").has("VEP_Transcript__c")).isFalse();
        assertThat(requests.get(1)).isEqualTo(JSON.readTree("""
                {"method": "PATCH", "url": "/services/data/v62.0/sobjects/VEP_Transcript__c/VEP_Transcript_Id__c/case-3",
                 "referenceId": "vepTranscript",
                 "body": {"Body__c": "2026-11-23 09:16:12 UTC - Visitor: Hi\\n", "Case__r": {"VEP_Case_Id__c": "case-3"}}}"""));
    }

    @Test
    void aSubrequestSalesforceRefusesIsRefusedWithItsMessageAndALockedRowIsRetried() throws Exception {
        answer(200, """
                {"compositeResponse": [{"body": [{"errorCode": "FIELD_CUSTOM_VALIDATION_EXCEPTION",
                  "message": "Closed cases need a reason", "fields": ["Reason"]}], "httpHeaders": {}, "httpStatusCode": 400,
                  "referenceId": "vepCase"}]}""", null);
        SinkFailure invalid = failureOf(minimalRecord("case-invalid"));
        assertThat(invalid.refused()).isTrue();
        assertThat(invalid.description()).contains("vepCase", "FIELD_CUSTOM_VALIDATION_EXCEPTION", "Closed cases need a reason", "Reason");

        answer(200, """
                {"compositeResponse": [
                  {"body": [{"errorCode": "PROCESSING_HALTED", "message": "halted"}], "httpStatusCode": 400, "referenceId": "vepCase"},
                  {"body": [{"errorCode": "UNABLE_TO_LOCK_ROW", "message": "unable to obtain exclusive access"}],
                   "httpStatusCode": 400, "referenceId": "vepTranscript"}]}""", null);
        SinkFailure locked = failureOf(minimalRecord("case-locked"));
        assertThat(locked.refused()).isFalse();
        assertThat(locked.description()).contains("vepTranscript: UNABLE_TO_LOCK_ROW").doesNotContain("PROCESSING_HALTED");
    }

    @Test
    void salesforcesHttpErrorsAreRetriedWhenTheyMeanNotNowAndRefusedOtherwise() throws Exception {
        assertThat(failureOf(new SalesforceException("""
                [{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]""", 403)))
                .satisfies(limit -> assertThat(limit.refused()).isFalse())
                .satisfies(limit -> assertThat(limit.description()).isEqualTo("Salesforce HTTP 403: REQUEST_LIMIT_EXCEEDED TotalRequests Limit exceeded."));
        assertThat(failureOf(new SalesforceException("""
                [{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]""", 401)).refused()).isFalse();
        assertThat(failureOf(new SalesforceException("Service Unavailable", 503)).refused()).isFalse();
        assertThat(failureOf(new SalesforceException("Unexpected error {0:null} executing {POST:https://org.my.salesforce.com}", 0,
                new ConnectException("Connection refused"))))
                .satisfies(down -> assertThat(down.refused()).isFalse())
                .satisfies(down -> assertThat(down.description()).isEqualTo("Salesforce unreachable: Connection refused"));

        SinkFailure malformed = failureOf(new SalesforceException("""
                [{"message":"Json Deserialization failed on token 'Foo'","errorCode":"JSON_PARSER_ERROR"}]""", 400));
        assertThat(malformed.refused()).isTrue();
        assertThat(malformed.description()).contains("JSON_PARSER_ERROR", "Json Deserialization failed");
        assertThat(failureOf(new SalesforceException(List.of(new RestError("INVALID_FIELD", "No such column 'Foo__c'")), 400)))
                .satisfies(field -> assertThat(field.refused()).isTrue())
                .satisfies(field -> assertThat(field.description()).contains("INVALID_FIELD", "No such column 'Foo__c'"));
    }

    @Test
    @DirtiesContext(methodMode = DirtiesContext.MethodMode.AFTER_METHOD)
    void nearTheOrgsDailyApiLimitTheNextDeliveriesWaitForThePauseEvenAfterAFailedAnswer() throws Exception {
        deliver("case-quiet", minimalRecord("case-quiet"));
        deliver("case-still-quiet", minimalRecord("case-still-quiet"));
        assertThat(salesforce.getReceivedCounter()).as("25 of 15000 used: no pause").isEqualTo(2);

        salesforce.whenAnyExchangeReceived(exchange -> {
            exchange.getMessage().setHeader("Sforce-Limit-Info", "api-usage=15000/15000");
            throw new SalesforceException("""
                    [{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]""", 403);
        });
        assertThat(failureOf(minimalRecord("case-over")).description()).contains("REQUEST_LIMIT_EXCEEDED");

        SinkFailure paused = failureOf(minimalRecord("case-next"));
        assertThat(paused.refused()).isFalse();
        assertThat(paused.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(5));
        assertThat(salesforce.getReceivedCounter()).as("the paused delivery did not call Salesforce").isEqualTo(3);
    }

    // --- helpers -------------------------------------------------------------------------------

    @Test
    void anErasureNoticeLeavesTheCaseInSalesforceAndCallsNothing() throws Exception {
        salesforce.expectedMessageCount(0);

        assertThat(SinkRouteExchanges.sendErasure(producer, RECORDS, "salesforce", "case-erased", 2).getException()).isNull();

        salesforce.assertIsSatisfied();
    }

    private Exchange deliver(String caseId, String record) throws Exception {
        JsonNode parsed = JSON.readTree(record);
        assertThat(CaseRecordSchema.violations(parsed)).as("a valid case record").isEmpty();
        return SinkRouteExchanges.send(producer, RECORDS, "salesforce", caseId, parsed.get("revision").asInt(), record);
    }

    private SinkFailure failureOf(String record) throws Exception {
        Exchange done = deliver(JSON.readTree(record).get("caseId").asText(), record);
        assertThat(done.getException()).as("the delivery failed").isNotNull();
        return failures.classify(done.getException());
    }

    private SinkFailure failureOf(SalesforceException answer) throws Exception {
        salesforce.whenAnyExchangeReceived(exchange -> {
            throw answer;
        });
        return failureOf(minimalRecord("case-failing"));
    }

    private void answer(int status, String body, String limitInfo) {
        salesforce.whenAnyExchangeReceived(exchange -> {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
            exchange.getMessage().setHeader("Sforce-Limit-Info", limitInfo);
            exchange.getMessage().setBody(body);
        });
    }

    private JsonNode sentRequest() throws Exception {
        assertThat(salesforce.getReceivedExchanges()).hasSize(1);
        return JSON.readTree(salesforce.getReceivedExchanges().get(0).getMessage().getBody(String.class));
    }

    private static String minimalRecord(String caseId) {
        return """
                {"schemaVersion": 1, "caseId": "%s", "revision": 1, "closedAt": "2026-11-23T09:27:40.003Z", "outcome": "positive",
                 "assignments": [], "transfers": [], "transcriptMissing": false, "events": []}"""
                .formatted(caseId);
    }

    private static String compositeOk() {
        return """
                {"compositeResponse": [{"body": {"id": "5005g00000AbCdEAAV", "success": true, "errors": []},
                  "httpHeaders": {}, "httpStatusCode": 201, "referenceId": "vepCase"}]}""";
    }
}
