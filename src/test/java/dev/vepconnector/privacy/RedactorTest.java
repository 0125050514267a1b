package dev.vepconnector.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.startup.CannotStartException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a visitor typed that must never be stored is masked; every other digit, id and time stays as VEP sent it. */
class RedactorTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Redactor cardsOnly = new Redactor(new PrivacyProperties(true, false, false, List.of(), Set.of(), "[redacted]"), registry);

    @Test
    void cardNumbersInAnyUsualWritingKeepOnlyTheirLastFourDigits() {
        assertThat(cardsOnly.redactText("my card is 4111 1111 1111 1111, thanks")).isEqualTo("my card is **** **** **** 1111, thanks");
        assertThat(cardsOnly.redactText("4111-1111-1111-1111")).isEqualTo("****-****-****-1111");
        assertThat(cardsOnly.redactText("5555555555554444")).isEqualTo("************4444");
        assertThat(cardsOnly.redactText("amex 3782 822463 10005")).as("15 digits, 4-6-5").isEqualTo("amex **** ****** *0005");
        assertThat(cardsOnly.redactText("6011 0009 9013 9424 124")).as("19 digits").isEqualTo("**** **** **** ***4 124");
        assertThat(cardsOnly.redactText("6011 0009 9013 9424 123")).as("16 digits and 3 more").isEqualTo("**** **** **** 9424 123");
        assertThat(cardsOnly.redactText("card 4111 1111 1111 1111 2027")).as("a year typed after it").isEqualTo("card **** **** **** 1111 2027");
        assertThat(registry.counter("vep.privacy.redactions", "kind", "card-number").count()).isEqualTo(7);
    }

    @Test
    void otherNumbersStay() {
        List<String> untouched = List.of(
                "order A-1182, 3 items at 19.99",
                "call me on +46 70 123 45 67",
                "4111 1111 1111 1112",                  // fails the Luhn check
                "411111111111",                          // 12 digits
                "41111111111111111111",                  // 20 digits without groups
                "2026-11-23T09:15:02.120Z",
                "tracking 1Z999AA10123456784",
                "IBAN SE45 5000 0000 0583 9825 7466");
        for (String text : untouched) {
            assertThat(cardsOnly.redactText(text)).as(text).isEqualTo(text);
        }
    }

    @Test
    void emailAddressesAndPhoneNumbersAreMaskedWhenSwitchedOnAndDatesStay() {
        Redactor redactor = new Redactor(new PrivacyProperties(true, true, true, List.of(), Set.of(), "[redacted]"), registry);

        assertThat(redactor.redactText("mail ada.berg+shop@example.co.uk or call +46 70 123 45 67 / (08) 555-12 34"))
                .isEqualTo("mail [redacted] or call [redacted] / [redacted]");
        assertThat(redactor.redactText("delivered 2026-11-23, order A-1182, 3 items")).isEqualTo("delivered 2026-11-23, order A-1182, 3 items");
        assertThat(cardsOnly.redactText("call +46 70 123 45 67")).as("off by default").isEqualTo("call +46 70 123 45 67");
        assertThat(registry.counter("vep.privacy.redactions", "kind", "email").count()).isEqualTo(1);
        assertThat(registry.counter("vep.privacy.redactions", "kind", "phone-number").count()).isEqualTo(2);
    }

    @Test
    void aTranscriptHasItsTextMaskedAndItsIdsAndTimesKept() throws Exception {
        String body = """
                {"eventTime": "2026-11-23T09:27:40.003Z", "caseId": "4111111111111111",
                 "transcript": {"messages": [
                   {"eventTime": "2026-11-23T09:20:00.000Z", "speaker": {"visitorId": "4111111111111111"}, "messageType": "chat",
                    "message": "here: 4111 1111 1111 1111"},
                   {"eventTime": "2026-11-23T09:21:00.000Z", "speaker": {"agentId": "a"}, "messageType": "note",
                    "message": "no card here, order 1182"}]}}""";
        JsonNode redacted = JSON.readTree(cardsOnly.redact("case.transcriptClosed", bytes(body)));

        assertThat(redacted.at("/transcript/messages/0/message").asText()).isEqualTo("here: **** **** **** 1111");
        assertThat(redacted.at("/transcript/messages/1/message").asText()).isEqualTo("no card here, order 1182");
        assertThat(redacted.get("caseId").asText()).as("ids are not typed text").isEqualTo("4111111111111111");
        assertThat(redacted.at("/transcript/messages/0/speaker/visitorId").asText()).isEqualTo("4111111111111111");
        assertThat(redacted.at("/transcript/messages/0/eventTime").asText()).isEqualTo("2026-11-23T09:20:00.000Z");
    }

    @Test
    void aVisitorProfileHasItsValuesMaskedAndItsDroppedKeysRemoved() throws Exception {
        Redactor redactor = new Redactor(new PrivacyProperties(true, true, false, List.of("\\bSE\\d{10}\\b"), Set.of("SSN"), "[redacted]"),
                registry);
        String body = """
                {"eventTime": "2026-11-23T09:00:00.000Z", "caseId": "c-1",
                 "profile": {"card": 4111111111111111, "notes": ["paid with 5555-5555-5555-4444"], "email": "ada@example.org",
                             "ssn": "19121212-1212", "account": "SE1234567890", "orderNo": "A-1182"}}""";
        JsonNode profile = JSON.readTree(redactor.redact("case.visitorProfile", bytes(body))).get("profile");

        assertThat(profile.get("card").asText()).isEqualTo("************1111");
        assertThat(profile.at("/notes/0").asText()).isEqualTo("paid with ****-****-****-4444");
        assertThat(profile.get("email").asText()).isEqualTo("[redacted]");
        assertThat(profile.get("account").asText()).isEqualTo("[redacted]");
        assertThat(profile.has("ssn")).as("a dropped key, matched whatever its case").isFalse();
        assertThat(profile.get("orderNo").asText()).isEqualTo("A-1182");
    }

    @Test
    void theSameMessageComesOutTheSameAndOneWithNothingToMaskKeepsItsBytes() {
        byte[] withCard = bytes("{\"caseId\": \"c\", \"profile\": {\"card\": \"4111 1111 1111 1111\"}}");
        assertThat(cardsOnly.redact("case.visitorProfile", withCard)).isEqualTo(cardsOnly.redact("case.visitorProfile", withCard.clone()));
        byte[] clean = bytes("{\"caseId\": \"c\",   \"profile\": {\"orderNo\": \"A-1182\"}}");
        assertThat(cardsOnly.redact("case.visitorProfile", clean)).isSameAs(clean);
        byte[] closed = bytes("{\"caseId\": \"c\", \"closure\": \"4111 1111 1111 1111\"}");
        assertThat(cardsOnly.redact("case.closed", closed)).as("only transcripts and profiles are read").isSameAs(closed);
    }

    @Test
    void aBodyThatIsNotJsonIsMaskedAsTextWithItsOtherBytesKept() {
        byte[] broken = {'{', '"', 'm', '"', ':', ' ', (byte) 0xC3, (byte) 0x28, ' ', '4', '1', '1', '1', ' ', '1', '1', '1', '1', ' ', '1', '1',
                '1', '1', ' ', '1', '1', '1', '1'};
        byte[] redacted = cardsOnly.redact("case.transcriptClosed", broken);
        assertThat(redacted).startsWith(new byte[] {'{', '"', 'm', '"', ':', ' ', (byte) 0xC3, (byte) 0x28});
        assertThat(new String(redacted, StandardCharsets.ISO_8859_1)).endsWith("**** **** **** 1111");
    }

    @Test
    void anInvalidPatternStopsTheStartSayingWhichOne() {
        assertThatThrownBy(() -> new Redactor(new PrivacyProperties(true, false, false, List.of("[unclosed"), Set.of(), "x"), registry))
                .isInstanceOf(CannotStartException.class).hasMessageContaining("vep.privacy.redact-patterns").hasMessageContaining("[unclosed");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
