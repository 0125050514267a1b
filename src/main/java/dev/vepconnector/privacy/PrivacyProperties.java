package dev.vepconnector.privacy;

import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What of a visitor's personal data is never stored: masked or dropped from transcripts and visitor
 * profiles as messages come off the broker, before anything is written.
 *
 * @param redactCardNumbers   mask payment card numbers (Luhn-valid, 13-19 digits, spaces or dashes allowed),
 *                            keeping the last four digits
 * @param redactEmails        mask e-mail addresses
 * @param redactPhoneNumbers  mask phone numbers (8 or more digits, with +, spaces, dashes, dots or brackets)
 * @param redactPatterns      regular expressions of your own; each match is replaced by {@code mask}
 * @param dropProfileKeys     visitor profile keys whose values are never stored (case-insensitive)
 * @param mask                what an e-mail, phone number or pattern match is replaced by
 */
@Validated
@ConfigurationProperties("vep.privacy")
public record PrivacyProperties(
        @DefaultValue("true") boolean redactCardNumbers,
        @DefaultValue("false") boolean redactEmails,
        @DefaultValue("false") boolean redactPhoneNumbers,
        @NotNull @DefaultValue("") List<String> redactPatterns,
        @NotNull @DefaultValue("") Set<String> dropProfileKeys,
        @NotNull @DefaultValue("[redacted]") String mask) {
}
