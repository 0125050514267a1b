package dev.vepconnector.sinks.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.sinks.RejectedDeliveryException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Bulk API's CSV: the Case rows made of the mapping's Composite requests, and the results read back. */
class SalesforceBulkCsvTest {

    final SalesforceBulkCsv csv = new SalesforceBulkCsv(new ObjectMapper());

    @Test
    void theCaseSubrequestsFieldsAreTheRowsTheExternalIdFirstAndEveryFieldAnyRowHas() throws Exception {
        String first = """
                {"allOrNone": true, "compositeRequest": [
                  {"method": "GET", "url": "/services/data/v62.0/query?q=SELECT+Id+FROM+Contact", "referenceId": "vepContact"},
                  {"method": "PATCH", "url": "/services/data/v62.0/sobjects/Case/VEP_Case_Id__c/case%207%2FA", "referenceId": "vepCase",
                   "body": {"Status": "Closed", "VEP_Revision__c": 3, "VEP_Transferred__c": true,
                            "VEP_Transcript__c": "09:00 - Visitor: \\"Hi\\", there\\n09:01 - Agent: Hello",
                            "ContactId": "@{vepContact.records[0].Id}", "Tags__c": ["a", "b"],
                            "Account": {"attributes": {"type": "Account"}, "Customer_No__c": "C-1"}}},
                  {"method": "PATCH", "url": "/services/data/v62.0/sobjects/Task/VEP_Task_Id__c/case%207%2FA", "referenceId": "vepTask",
                   "body": {"Subject": "Chat"}}]}""";
        String second = """
                {"compositeRequest": [{"method": "PATCH", "url": "/services/data/v62.0/sobjects/Case/VEP_Case_Id__c/c-2",
                  "referenceId": "vepCase", "body": {"Origin": "Chat", "Status": null}}]}""";

        String rows = csv.rows(List.of(first, second));

        assertThat(rows).isEqualTo("""
                VEP_Case_Id__c,Status,VEP_Revision__c,VEP_Transferred__c,VEP_Transcript__c,Account.Customer_No__c,Origin
                "case 7/A","Closed","3","true","09:00 - Visitor: ""Hi"", there
                09:01 - Agent: Hello","C-1",
                "c-2",,,,,,"Chat"
                """);
    }

    @Test
    void requestsWithoutACaseSubrequestCannotGoInBulk() {
        assertThatThrownBy(() -> csv.rows(List.of("{\"compositeRequest\": [{\"referenceId\": \"other\", \"url\": \"/x\", \"body\": {}}]}")))
                .isInstanceOf(RejectedDeliveryException.class).hasMessageContaining("no Case subrequest");
    }

    @Test
    void resultsAreReadBackToTheirCasesQuotedLineBreaksAndAll() throws Exception {
        String successful = "\"sf__Id\",\"sf__Created\",VEP_Case_Id__c,VEP_Transcript__c\n"
                + "\"5001\",\"true\",\"c-1\",\"line one\nline \"\"two\"\", with a comma\"\n"
                + "\"5002\",\"false\",\"c-2\",\"\"\n";
        String failed = "\"sf__Id\",\"sf__Error\",VEP_Case_Id__c\r\n\"\",\"REQUIRED_FIELD_MISSING:Required fields are missing: [Subject]:Subject --\",\"c-3\"\r\n";

        assertThat(csv.caseIds(stream(successful))).containsExactly("c-1", "c-2");
        assertThat(csv.errors(stream(failed))).containsExactly(
                java.util.Map.entry("c-3", "REQUIRED_FIELD_MISSING:Required fields are missing: [Subject]:Subject --"));
        assertThat(csv.caseIds(null)).isEmpty();
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
