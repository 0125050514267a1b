package dev.vepconnector.sinks.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.Test;

/** The customer rules' query and decision, on what a rules file gives for one record. */
class CustomerRulesTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void allRulesWithAValueAreAskedInOneQueryTheirValuesEscapedAsSoqlWantsThem() throws Exception {
        CustomerRules rules = rules("""
                {"rules": [{"field": "Email", "value": " O'Brien@Example.com ", "normalise": "email"},
                           {"field": "Phone", "value": "070-123 45 67", "normalise": "phone"},
                           {"field": "VEP_Customer_No__c", "value": null}],
                 "whenNone": "leave"}""");

        assertThat(rules.query()).isEqualTo("SELECT Id, AccountId, Email, Phone FROM Contact WHERE Email = 'o\\'brien@example.com' OR "
                + "Phone IN ('070-123 45 67', '+46701234567', '46701234567', '0046701234567', '0701234567') LIMIT 100");
        assertThat(rules.keys()).containsExactly(java.util.Map.entry("Email", "o'brien@example.com"), java.util.Map.entry("Phone", "+46701234567"));
    }

    @Test
    void theFirstRuleThatFindsAnyContactDecides() throws Exception {
        CustomerRules rules = rules("""
                {"rules": [{"field": "Email", "value": "ada@example.com", "normalise": "email"},
                           {"field": "Phone", "value": "0701234567", "normalise": "phone"}]}""");

        JsonNode sharedEmail = JSON.readTree("""
                [{"Id": "003A", "AccountId": "001A", "Email": "ada@example.com", "Phone": "+46701234567"},
                 {"Id": "003B", "AccountId": null, "Email": "ADA@example.com", "Phone": "+46709999999"}]""");
        assertThat(rules.decide(sharedEmail)).as("the e-mail finds two: the phone does not pick one")
                .isEqualTo(new CustomerRules.Decision("several", "Email", null, null, java.util.List.of("003A", "003B")));

        JsonNode byPhone = JSON.readTree("""
                [{"Id": "003C", "AccountId": "001C", "Email": "other@example.com", "Phone": "070-123 45 67"}]""");
        assertThat(rules.decide(byPhone)).as("no e-mail match; the phone, written differently, finds one")
                .isEqualTo(new CustomerRules.Decision("one", "Phone", "003C", "001C", java.util.List.of("003C")));

        assertThat(rules.decide(JSON.createArrayNode()).outcome()).isEqualTo("none");
    }

    @Test
    void anAnswerCutAtTheQueryLimitIsNeverTakenForOneMatch() throws Exception {
        CustomerRules rules = rules("""
                {"rules": [{"field": "VEP_Customer_No__c", "value": "C-1"}, {"field": "Email", "value": "x@example.com"}]}""");
        ArrayNode contacts = JSON.createArrayNode();
        contacts.addObject().put("Id", "003ONE").put("VEP_Customer_No__c", "C-1");
        for (int i = 1; i < CustomerRules.QUERY_LIMIT; i++) {
            contacts.addObject().put("Id", "003" + i).put("Email", "x@example.com");
        }

        assertThat(rules.decide(contacts).outcome()).isEqualTo("several");
    }

    @Test
    void rulesThatCannotWorkSayWhy() {
        assertThatThrownBy(() -> rules("{\"rules\": [{\"field\": \"Contact.Email\", \"value\": \"a\"}]}"))
                .hasMessage("a customer rule's field is \"Contact.Email\": a Contact field's API name (Email, VEP_Customer_No__c)");
        assertThatThrownBy(() -> rules("{\"rules\": [], \"whenNone\": \"create\"}"))
                .hasMessage("whenNone is \"create\": it is one of \"leave\", \"contact\", \"lead\"");
        assertThatThrownBy(() -> rules("{\"rules\": [{\"field\": \"Phone\", \"value\": \"1\", \"normalise\": \"digits\"}]}"))
                .hasMessage("normalise is \"digits\": it is \"email\", \"phone\" or left out");
        assertThatThrownBy(() -> rules("[]")).hasMessageContaining("not an object");
    }

    private static CustomerRules rules(String json) throws Exception {
        return CustomerRules.from(JSON.readTree(json), "46");
    }
}
