package dev.vepconnector.sinks.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhoneNumbersTest {

    @Test
    void aSwedishNumberWrittenAnyWayIsOneE164Number() {
        for (String written : new String[] {"070-123 45 67", "0701234567", "+46 70 123 45 67", "+46 (0)70 123 45 67", "0046701234567",
                "46701234567", "(070) 123.45.67", " +46-70-1234567 ", "070 123 45 67 ext 12", "070-1234567 x3"}) {
            assertThat(PhoneNumbers.normalise(written, "46")).as(written).isEqualTo("+46701234567");
        }
    }

    @Test
    void aNumberWithItsCountryNeedsNoConfiguredCountryAndANationalOneStaysItsDigitsWithoutOne() {
        assertThat(PhoneNumbers.normalise("+1 (415) 555-1212", null)).isEqualTo("+14155551212");
        assertThat(PhoneNumbers.normalise("0044 20 7946 0958", null)).isEqualTo("+442079460958");
        assertThat(PhoneNumbers.normalise("070-123 45 67", null)).isEqualTo("0701234567");
    }

    @Test
    void aCountryWithoutTrunkPrefixTakesItsNationalNumbersAsTheyAre() {
        assertThat(PhoneNumbers.normalise("(415) 555-1212", "1")).isEqualTo("+14155551212");
        assertThat(PhoneNumbers.normalise("1 415 555 1212", "1")).isEqualTo("+14155551212");
    }

    @Test
    void textThatIsNoPhoneNumberGivesNone() {
        assertThat(PhoneNumbers.normalise("call me maybe", "46")).isNull();
        assertThat(PhoneNumbers.normalise("ada@example.com", "46")).isNull();
        assertThat(PhoneNumbers.normalise("123", "46")).as("too short").isNull();
        assertThat(PhoneNumbers.normalise("+1234567890123456", "46")).as("longer than E.164 allows").isNull();
        assertThat(PhoneNumbers.normalise("", "46")).isNull();
        assertThat(PhoneNumbers.normalise(null, "46")).isNull();
    }

    @Test
    void theFormsAQueryLooksForAreTheTypedOneAndTheUsualWaysOfStoringIt() {
        assertThat(PhoneNumbers.writtenForms("070-123 45 67", "46"))
                .containsExactly("070-123 45 67", "+46701234567", "46701234567", "0046701234567", "0701234567");
        assertThat(PhoneNumbers.writtenForms("not a number", "46")).containsExactly("not a number");
    }

    @Test
    void countryCodesAreOneToThreeDigitsWithoutLeadingZero() {
        assertThat(PhoneNumbers.isCountryCode("46")).isTrue();
        assertThat(PhoneNumbers.isCountryCode("1")).isTrue();
        assertThat(PhoneNumbers.isCountryCode("046")).isFalse();
        assertThat(PhoneNumbers.isCountryCode("+46")).isFalse();
        assertThat(PhoneNumbers.isCountryCode("4600")).isFalse();
    }
}
