package dev.vepconnector.sinks.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vepconnector.sinks.SinkFailure;
import dev.vepconnector.sinks.SinkFailures;
import dev.vepconnector.support.CaseRecordSchema;
import dev.vepconnector.support.ConnectorTestSupport;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.SinkRouteExchanges;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The Salesforce route (routes/sink-salesforce.yaml with the jar's mapping) against a fake org on WireMock
 * ({@link FakeSalesforce}: OAuth, Composite all-or-none, SOQL, upserts, field lengths), fed from a direct
 * endpoint instead of the delivery queue. What a CRM admin sees: Cases linked to Contacts, a Task per
 * conversation, transcripts of any length with their file, and the list of cases left to link by hand.
 */
@CamelSpringBootTest
@AutoConfigureMockMvc
@SpringBootTest(properties = {"vep.sinks.salesforce.enabled=true", "vep.sinks.salesforce.auth.flow=client-credentials",
        "vep.sinks.salesforce.auth.client-id=app", "vep.sinks.salesforce.auth.client-secret=secret",
        "vep.sinks.salesforce.customer-matching.rules=classpath:salesforce/customer-rules-by-record.jq",
        "vep.sinks.salesforce.customer-matching.phone-country-code=46", "vep.sinks.file.enabled=false"})
class SalesforceOrgRouteTest {

    static final Setup SETUP = Setup.unique();
    static final FakeVep VEP = new FakeVep();
    static final FakeSalesforce SALESFORCE = new FakeSalesforce();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String RECORDS = "direct:salesforce-org-records";
    static final String ADA = "0055g00000AdAAA";
    static final String BO = "0055g00000BoBBB";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        SETUP.register(registry);
        registry.add("vep.sinks.salesforce.login-url", SALESFORCE::url);
    }

    @BeforeAll
    static void vepCreatesItsExchange() throws Exception {
        VEP.declareExchange(SETUP.exchange());
    }

    @AfterAll
    static void cleanUp() {
        SALESFORCE.close();
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
    @Autowired
    MeterRegistry metrics;
    @Autowired
    MockMvc api;

    @BeforeEach
    void driveTheRouteDirectlyAgainstAnEmptyOrg() throws Exception {
        if (camel.hasEndpoint(RECORDS) == null) {
            AdviceWith.adviceWith(camel, "sink-salesforce", route -> route.replaceFromWith(RECORDS));
        }
        SALESFORCE.reset();
    }

    // --- customer matching ------------------------------------------------------------------------

    @Test
    void oneContactWithTheVisitorsEmailLinksTheCaseAndItsAccountAndTheTaskIsOnBothTimelines() throws Exception {
        String account = SALESFORCE.add("Account", Map.of("Name", "Berg AB"));
        String contact = SALESFORCE.add("Contact", Map.of("LastName", "Berg", "Email", "Ada.Berg@Example.com", "AccountId", account));
        SALESFORCE.add("Contact", Map.of("LastName", "Lind", "Email", "bo.lind@example.com"));
        double before = matches("one");

        deliverOk(record("case-one", 1, "{\"email\": \" ada.berg@example.com \"}"));

        assertThat(SALESFORCE.lookups()).hasSize(1);
        JsonNode query = SALESFORCE.lookups().get(0).get("compositeRequest").get(0);
        assertThat(query.get("method").asText()).isEqualTo("GET");
        assertThat(java.net.URLDecoder.decode(query.get("url").asText(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("/services/data/v62.0/query?q=SELECT Id, AccountId, Email FROM Contact WHERE Email = 'ada.berg@example.com' LIMIT 100");
        ObjectNode theCase = SALESFORCE.record("Case", "VEP_Case_Id__c", "case-one").orElseThrow();
        assertThat(theCase.get("ContactId").asText()).isEqualTo(contact);
        assertThat(theCase.get("AccountId").asText()).isEqualTo(account);
        List<ObjectNode> tasks = SALESFORCE.records("Task");
        assertThat(tasks).hasSize(1);
        ObjectNode task = tasks.get(0);
        assertThat(task.get("VEP_Interaction_Id__c").asText()).isEqualTo("case-one:1");
        assertThat(task.get("Status").asText()).isEqualTo("Completed");
        assertThat(task.get("Subject").asText()).isEqualTo("Chat: Orders");
        assertThat(task.get("WhoId").asText()).isEqualTo(contact);
        assertThat(task.get("WhatId").asText()).isEqualTo(theCase.get("Id").asText());
        assertThat(task.get("OwnerId").asText()).isEqualTo(ADA);
        assertThat(task.get("ActivityDate").asText()).isEqualTo("2026-11-23");
        assertThat(task.get("Description").asText()).isEqualTo("""
                2026-11-23 09:16:12 UTC - Visitor: Hi, I need to change my address
                2026-11-23 09:16:30 UTC - Agent Ada Berg: Of course
                """);
        assertThat(matches("one") - before).isEqualTo(1.0);
        assertThat(unmatched()).isEmpty();
    }

    @Test
    void aPhoneNumberWrittenAnotherWayFindsTheContactWhoseNumberIsStoredInE164() throws Exception {
        String contact = SALESFORCE.add("Contact", Map.of("LastName", "Berg", "Phone", "+46701234567"));

        deliverOk(record("case-phone", 1, "{\"phone\": \"070-123 45 67\"}"));

        assertThat(SALESFORCE.record("Case", "VEP_Case_Id__c", "case-phone").orElseThrow().get("ContactId").asText()).isEqualTo(contact);
    }

    @Test
    void twoContactsWithTheEmailLeaveTheCaseUnlinkedAndListedForAnAdminUntilALaterRevisionMatchesOne() throws Exception {
        String first = SALESFORCE.add("Contact", Map.of("LastName", "Berg", "Email", "ada@example.com"));
        String duplicate = SALESFORCE.add("Contact", Map.of("LastName", "Berg", "Email", "ADA@example.com"));
        double before = matches("several");

        deliverOk(record("case-twice", 1, "{\"email\": \"ada@example.com\"}"));

        ObjectNode theCase = SALESFORCE.record("Case", "VEP_Case_Id__c", "case-twice").orElseThrow();
        assertThat(theCase.has("ContactId")).as("not linked to either").isFalse();
        assertThat(SALESFORCE.records("Task").get(0).has("WhoId")).isFalse();
        assertThat(SALESFORCE.records("Task").get(0).get("WhatId").asText()).isEqualTo(theCase.get("Id").asText());
        assertThat(matches("several") - before).isEqualTo(1.0);
        JsonNode listed = unmatched();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("caseId").asText()).isEqualTo("case-twice");
        assertThat(listed.get(0).get("outcome").asText()).isEqualTo("several");
        assertThat(listed.get(0).get("matchedBy").asText()).isEqualTo("Email");
        assertThat(listed.get(0).get("candidates")).extracting(JsonNode::asText).containsExactlyInAnyOrder(first, duplicate);
        assertThat(listed.get(0).get("salesforceCaseId").asText()).isEqualTo(theCase.get("Id").asText());
        assertThat(listed.toString()).as("no personal data in the list").doesNotContain("ada@example.com");

        SALESFORCE.delete("Contact", duplicate); // the admin merges the duplicates
        deliverOk(record("case-twice", 2, "{\"email\": \"ada@example.com\"}"));

        assertThat(SALESFORCE.record("Case", "VEP_Case_Id__c", "case-twice").orElseThrow().get("ContactId").asText()).isEqualTo(first);
        assertThat(unmatched()).as("linked by the later revision").isEmpty();
    }

    @Test
    void noContactLeavesTheCaseUnlinkedAndListedAndAnAnonymousVisitorCostsNoLookupAndIsNotListed() throws Exception {
        SALESFORCE.add("Contact", Map.of("LastName", "Lind", "Email", "bo.lind@example.com"));
        double before = matches("none");

        deliverOk(record("case-nobody", 1, "{\"email\": \"new@example.com\", \"customerNo\": \"C-77\"}"));
        deliverOk(record("case-anonymous", 1, "{\"nickname\": \"guest\"}"));

        assertThat(SALESFORCE.record("Case", "VEP_Case_Id__c", "case-nobody").orElseThrow().has("ContactId")).isFalse();
        assertThat(SALESFORCE.records("Contact")).as("nothing created: the rules say leave").hasSize(1);
        assertThat(SALESFORCE.lookups()).as("the anonymous visitor has nothing to look up").hasSize(1);
        assertThat(SALESFORCE.deliveries()).hasSize(2);
        assertThat(matches("none") - before).isEqualTo(2.0);
        JsonNode listed = unmatched();
        assertThat(listed).extracting(c -> c.get("caseId").asText()).containsExactly("case-nobody");
        assertThat(listed.get(0).get("outcome").asText()).isEqualTo("none");

        api.perform(delete("/api/sinks/salesforce/unmatched/case-nobody").header("Authorization", ConnectorTestSupport.adminAuthorization()))
                .andExpect(status().isNoContent());
        assertThat(unmatched()).as("the admin dealt with it").isEmpty();
        api.perform(delete("/api/sinks/salesforce/unmatched/case-nobody")).andExpect(status().isUnauthorized());
    }

    @Test
    void noContactCreatesOneInTheSameAllOrNoneRequestAndTheVisitorsNextCaseFindsIt() throws Exception {
        deliverOk(record("case-new-visitor", 1,
                "{\"email\": \"New@Example.com\", \"phone\": \"070-765 43 21\", \"name\": \"Nils Nilsson\", \"whenNone\": \"contact\"}"));

        JsonNode requests = SALESFORCE.deliveries().get(0).get("compositeRequest");
        assertThat(requests).extracting(r -> r.get("referenceId").asText()).containsExactly("vepContact", "vepCase", "vepTask1");
        assertThat(requests.get(0).get("method").asText()).isEqualTo("POST");
        assertThat(requests.get(0).get("body")).isEqualTo(JSON.readTree("""
                {"Email": "new@example.com", "Phone": "+46707654321", "LastName": "Nils Nilsson"}"""));
        assertThat(requests.get(1).get("body").get("ContactId").asText()).isEqualTo("@{vepContact.id}");
        List<ObjectNode> contacts = SALESFORCE.records("Contact");
        assertThat(contacts).hasSize(1);
        String created = contacts.get(0).get("Id").asText();
        assertThat(SALESFORCE.record("Case", "VEP_Case_Id__c", "case-new-visitor").orElseThrow().get("ContactId").asText()).isEqualTo(created);
        assertThat(SALESFORCE.records("Task").get(0).get("WhoId").asText()).isEqualTo(created);
        assertThat(unmatched()).isEmpty();

        deliverOk(record("case-same-visitor", 1, "{\"phone\": \"+46 70 765 43 21\", \"whenNone\": \"contact\"}"));

        assertThat(SALESFORCE.records("Contact")).as("found by the phone it was created with").hasSize(1);
        assertThat(SALESFORCE.record("Case", "VEP_Case_Id__c", "case-same-visitor").orElseThrow().get("ContactId").asText()).isEqualTo(created);
    }

    @Test
    void noContactCreatesALeadWhenTheRulesSaySoWithTheTaskOnTheLeadOnlyAndOneLeadPerCase() throws Exception {
        String record = record("case-lead", 1, "{\"email\": \"prospect@example.com\", \"company\": \"Prospect AB\", \"whenNone\": \"lead\"}");
        deliverOk(record);
        deliverOk(record);

        List<ObjectNode> leads = SALESFORCE.records("Lead");
        assertThat(leads).as("upserted by the case id: a redelivery adds none").hasSize(1);
        assertThat(leads.get(0).get("Email").asText()).isEqualTo("prospect@example.com");
        assertThat(leads.get(0).get("Company").asText()).isEqualTo("Prospect AB");
        assertThat(SALESFORCE.record("Case", "VEP_Case_Id__c", "case-lead").orElseThrow().has("ContactId")).isFalse();
        ObjectNode task = SALESFORCE.records("Task").get(0);
        assertThat(task.get("WhoId").asText()).isEqualTo(leads.get(0).get("Id").asText());
        assertThat(task.has("WhatId")).as("Salesforce allows no related record on a Lead's Task").isFalse();
        assertThat(unmatched()).isEmpty();
    }

    @Test
    void aRuleOnAFieldTheOrgLacksIsRefusedWithSalesforcesMessage() throws Exception {
        SALESFORCE.fields("Contact", Set.of("Id", "AccountId", "Email", "Phone", "LastName"));

        SinkFailure failure = failureOf(record("case-no-field", 1, "{\"customerNo\": \"C-1\"}"));

        assertThat(failure.refused()).isTrue();
        assertThat(failure.description()).contains("vepContacts", "INVALID_FIELD", "No such column 'VEP_Customer_No__c' on entity 'Contact'");
        assertThat(SALESFORCE.deliveries()).as("nothing sent after the refused lookup").isEmpty();
    }

    // --- activities -------------------------------------------------------------------------------

    @Test
    void aRedeliveredRecordUpdatesTheCaseAndItsTaskAndAddsNothing() throws Exception {
        String contact = SALESFORCE.add("Contact", Map.of("LastName", "Berg", "Email", "ada@example.com"));
        String record = record("case-again", 1, "{\"email\": \"ada@example.com\"}");

        deliverOk(record);
        deliverOk(record);

        assertThat(SALESFORCE.records("Case")).hasSize(1);
        assertThat(SALESFORCE.records("Task")).hasSize(1);
        assertThat(SALESFORCE.records("Task").get(0).get("WhoId").asText()).isEqualTo(contact);
        assertThat(SALESFORCE.deliveries()).hasSize(2).allSatisfy(request -> assertThat(request.get("compositeRequest").get(1).get("url").asText())
                .isEqualTo("/services/data/v62.0/sobjects/Task/VEP_Interaction_Id__c/case-again%3A1"));
    }

    @Test
    void aReopenedCaseGivesTheCaseBothConversationsAndATaskForEach() throws Exception {
        String contact = SALESFORCE.add("Contact", Map.of("LastName", "Berg", "Email", "ada@example.com"));

        deliverOk(reopenedRecord("case-reopened"));

        String text = SALESFORCE.record("Case", "VEP_Case_Id__c", "case-reopened").orElseThrow().get("VEP_Transcript__c").asText();
        assertThat(text).isEqualTo("""
                --- Conversation 1 ---
                2026-11-23 09:02:00 UTC - Visitor: Where is my parcel?
                2026-11-23 09:03:00 UTC - Agent Ada Berg: It arrives tomorrow
                --- Conversation 2 ---
                2026-11-23 10:01:00 UTC - Visitor: It did not arrive
                2026-11-23 10:05:00 UTC - Agent Bo Lind: I am sending a new one
                """);
        List<ObjectNode> tasks = SALESFORCE.records("Task");
        assertThat(tasks).extracting(t -> t.get("VEP_Interaction_Id__c").asText()).containsExactly("case-reopened:1", "case-reopened:2");
        assertThat(tasks).allSatisfy(t -> assertThat(t.get("WhoId").asText()).isEqualTo(contact));
        assertThat(tasks.get(0).get("Subject").asText()).isEqualTo("Chat: Orders");
        assertThat(tasks.get(0).get("OwnerId").asText()).isEqualTo(ADA);
        assertThat(tasks.get(0).get("Description").asText()).contains("Where is my parcel?", "It arrives tomorrow").doesNotContain("did not arrive");
        assertThat(tasks.get(1).get("Subject").asText()).isEqualTo("Chat: Orders (conversation 2)");
        assertThat(tasks.get(1).get("OwnerId").asText()).isEqualTo(BO);
        assertThat(tasks.get(1).get("Description").asText()).contains("It did not arrive", "I am sending a new one").doesNotContain("parcel?");
    }

    // --- transcripts of any length ------------------------------------------------------------------

    @Test
    void aTranscriptOf200000CharactersIsCutAtAMessageForTheFieldAndAttachedWholeOnceAsAFileOnTheCase() throws Exception {
        String record = longRecord("case-long", 1, 1480, false);

        deliverOk(record);

        ObjectNode theCase = SALESFORCE.record("Case", "VEP_Case_Id__c", "case-long").orElseThrow();
        String field = theCase.get("VEP_Transcript__c").asText();
        assertThat(field.length()).isLessThanOrEqualTo(131_072).isGreaterThan(130_000);
        String note = field.substring(field.lastIndexOf("(transcript cut here"));
        assertThat(note).matches("\\(transcript cut here: \\d+ of 1480 messages shown; the whole transcript is the file "
                + "\"Chat transcript case-long\" in this Case's Files\\)\n");
        String shown = field.substring(0, field.length() - note.length());
        assertThat(shown).as("whole messages only").endsWith(" end\n");
        List<ObjectNode> files = SALESFORCE.latestFilesOf(theCase.get("Id").asText());
        assertThat(files).hasSize(1);
        assertThat(files.get(0).get("Title").asText()).isEqualTo("Chat transcript case-long");
        assertThat(files.get(0).get("PathOnClient").asText()).isEqualTo("chat-transcript-case-long.txt");
        String whole = FakeSalesforce.text(files.get(0));
        assertThat(whole.length()).isGreaterThanOrEqualTo(200_000);
        assertThat(whole).startsWith(shown).contains("message 0000 ", "message 1479 ").doesNotContain("transcript cut");

        deliverOk(record);

        assertThat(SALESFORCE.deliveries().get(1).get("compositeRequest")).as("Salesforce has the file: not sent again")
                .noneMatch(r -> r.get("url").asText().endsWith("/ContentVersion"));
        assertThat(SALESFORCE.records("ContentVersion")).hasSize(1);

        deliverOk(longRecord("case-long", 2, 1500, true));

        assertThat(SALESFORCE.records("ContentVersion")).as("a new version of the same file").hasSize(2);
        assertThat(SALESFORCE.records("ContentDocument")).hasSize(1);
        files = SALESFORCE.latestFilesOf(theCase.get("Id").asText());
        assertThat(files).hasSize(1);
        assertThat(FakeSalesforce.text(files.get(0))).contains("--- Conversation 2 ---", "message 1499 ");
        assertThat(SALESFORCE.records("Task")).hasSize(2).allSatisfy(task -> assertThat(task.get("Description").asText().length())
                .isLessThanOrEqualTo(32_000));
    }

    @Test
    void aFieldShorterInTheOrgThanConfiguredIsRefusedWithSalesforcesMessageAndNothingOfTheRequestIsKept() throws Exception {
        SALESFORCE.fieldLength("Case", "VEP_Transcript__c", 32_768);

        SinkFailure failure = failureOf(longRecord("case-short-field", 1, 300, false)
                .replace("\"visitorProfile\": {}", "\"visitorProfile\": {\"email\": \"new@example.com\", \"whenNone\": \"contact\"}"));

        assertThat(failure.refused()).isTrue();
        assertThat(failure.description()).contains("vepCase: STRING_TOO_LONG", "max length=32768", "[\"VEP_Transcript__c\"]")
                .doesNotContain("PROCESSING_HALTED");
        assertThat(SALESFORCE.records("Contact")).as("all or none: the Contact created before is rolled back").isEmpty();
        assertThat(SALESFORCE.records("Case")).isEmpty();
        assertThat(SALESFORCE.records("Task")).isEmpty();
    }

    // --- helpers ------------------------------------------------------------------------------------

    private void deliverOk(String record) throws Exception {
        JsonNode parsed = JSON.readTree(record);
        assertThat(CaseRecordSchema.violations(parsed)).as("a valid case record").isEmpty();
        Exchange done = SinkRouteExchanges.send(producer, RECORDS, "salesforce", parsed.get("caseId").asText(), parsed.get("revision").asInt(),
                record);
        assertThat(done.getException()).as("delivered").isNull();
    }

    private SinkFailure failureOf(String record) throws Exception {
        JsonNode parsed = JSON.readTree(record);
        Exchange done = SinkRouteExchanges.send(producer, RECORDS, "salesforce", parsed.get("caseId").asText(), parsed.get("revision").asInt(),
                record);
        assertThat(done.getException()).as("the delivery failed").isNotNull();
        return failures.classify(done.getException());
    }

    private double matches(String outcome) {
        return metrics.get("vep.salesforce.customer.matches").tag("outcome", outcome).counter().count();
    }

    private JsonNode unmatched() throws Exception {
        return JSON.readTree(api.perform(get("/api/sinks/salesforce/unmatched")).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString());
    }

    /** A closed case of one conversation with Ada, the visitor's profile as given. */
    static String record(String caseId, int revision, String visitorProfile) {
        return """
                {"schemaVersion": 1, "caseId": "%s", "revision": %d, "createdAt": "2026-11-23T09:15:02.120Z",
                 "closedAt": "2026-11-23T09:27:40.003Z", "outcome": "positive", "caseType": {"id": "t-1", "name": "Orders"},
                 "assignments": [{"agent": {"id": "agent-ada", "name": "Ada Berg", "externalIds": {"Salesforce": "%s"}},
                   "openedAt": "2026-11-23T09:16:10.000Z", "endedAt": "2026-11-23T09:27:40.003Z", "endReason": "closed"}],
                 "transfers": [], "visitorProfile": %s,
                 "transcript": {"messages": [
                   {"eventTime": "2026-11-23T09:16:12.000Z", "speaker": {"visitorId": "v-1"}, "messageType": "chat",
                    "message": "Hi, I need to change my address"},
                   {"eventTime": "2026-11-23T09:16:30.500Z", "speaker": {"agentId": {"id": "agent-ada"}}, "messageType": "chat",
                    "message": "Of course"}]},
                 "transcriptMissing": false, "handleTimeMs": 690003,
                 "events": [{"type": "case.opened", "eventTime": "2026-11-23T09:16:10.000Z"},
                            {"type": "case.closed", "eventTime": "2026-11-23T09:27:40.003Z"}]}"""
                .formatted(caseId, revision, ADA, visitorProfile);
    }

    /** Revision 2 of a case closed, reopened and closed again: a conversation with Ada, then one with Bo. */
    static String reopenedRecord(String caseId) {
        return """
                {"schemaVersion": 1, "caseId": "%s", "revision": 2, "createdAt": "2026-11-23T09:00:00.000Z",
                 "closedAt": "2026-11-23T10:20:00.000Z", "outcome": "positive", "caseType": {"id": "t-1", "name": "Orders"},
                 "assignments": [
                   {"agent": {"id": "agent-ada", "name": "Ada Berg", "externalIds": {"Salesforce": "%s"}},
                    "openedAt": "2026-11-23T09:01:00.000Z", "endedAt": "2026-11-23T09:10:00.000Z", "endReason": "closed"},
                   {"agent": {"id": "agent-bo", "name": "Bo Lind", "externalIds": {"Salesforce": "%s"}},
                    "openedAt": "2026-11-23T10:00:00.000Z", "endedAt": "2026-11-23T10:20:00.000Z", "endReason": "closed"}],
                 "transfers": [], "visitorProfile": {"email": "ada@example.com"},
                 "transcript": {"messages": [
                   {"eventTime": "2026-11-23T09:02:00.000Z", "speaker": {"visitorId": "v-1"}, "messageType": "chat", "message": "Where is my parcel?"},
                   {"eventTime": "2026-11-23T09:03:00.000Z", "speaker": {"agentId": {"id": "agent-ada"}}, "messageType": "chat",
                    "message": "It arrives tomorrow"},
                   {"eventTime": "2026-11-23T10:01:00.000Z", "speaker": {"visitorId": "v-1"}, "messageType": "chat", "message": "It did not arrive"},
                   {"eventTime": "2026-11-23T10:05:00.000Z", "speaker": {"agentId": {"id": "agent-bo"}}, "messageType": "chat",
                    "message": "I am sending a new one"}]},
                 "transcriptMissing": false, "handleTimeMs": 4740000,
                 "events": [{"type": "case.created", "eventTime": "2026-11-23T09:00:00.000Z"},
                            {"type": "case.opened", "eventTime": "2026-11-23T09:01:00.000Z"},
                            {"type": "case.closed", "eventTime": "2026-11-23T09:10:00.000Z"},
                            {"type": "case.transcriptClosed", "eventTime": "2026-11-23T09:10:01.000Z"},
                            {"type": "case.opened", "eventTime": "2026-11-23T10:00:00.000Z"},
                            {"type": "case.closed", "eventTime": "2026-11-23T10:20:00.000Z"},
                            {"type": "case.transcriptClosed", "eventTime": "2026-11-23T10:20:01.000Z"}]}"""
                .formatted(caseId, ADA, BO);
    }

    /**
     * A case with a long chat: {@code messages} messages of about 135 characters each as text ("message
     * 0042 xxx... end"); reopened, the messages from 1480 on are a second conversation.
     */
    static String longRecord(String caseId, int revision, int messages, boolean reopened) throws Exception {
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            boolean second = i >= 1480;
            String time = second ? "2026-11-23T11:%02d:%02d.000Z".formatted((i - 1480) / 60, (i - 1480) % 60)
                    : "2026-11-23T09:%02d:%02d.000Z".formatted(16 + i / 60, i % 60);
            list.add(Map.of("eventTime", time, "speaker", i % 2 == 0 ? Map.of("visitorId", "v-1") : Map.of("agentId", Map.of("id", "agent-ada")),
                    "messageType", "chat", "message", "message %04d %s end".formatted(i, "x".repeat(80))));
        }
        String closes = reopened ? """
                {"type": "case.closed", "eventTime": "2026-11-23T10:59:00.000Z"}, {"type": "case.opened", "eventTime": "2026-11-23T11:00:00.000Z"},
                {"type": "case.closed", "eventTime": "2026-11-23T11:30:00.000Z"}""" : """
                {"type": "case.closed", "eventTime": "2026-11-23T10:59:00.000Z"}""";
        return """
                {"schemaVersion": 1, "caseId": "%s", "revision": %d, "closedAt": "%s", "outcome": "neutral",
                 "caseType": {"id": "t-1", "name": "Orders"},
                 "assignments": [{"agent": {"id": "agent-ada", "name": "Ada Berg"}, "openedAt": "2026-11-23T09:16:00.000Z", "endReason": "closed"}],
                 "transfers": [], "visitorProfile": {}, "transcript": {"messages": %s}, "transcriptMissing": false,
                 "events": [{"type": "case.opened", "eventTime": "2026-11-23T09:16:00.000Z"}, %s]}"""
                .formatted(caseId, revision, reopened ? "2026-11-23T11:30:00.000Z" : "2026-11-23T10:59:00.000Z", JSON.writeValueAsString(list),
                        closes);
    }
}
