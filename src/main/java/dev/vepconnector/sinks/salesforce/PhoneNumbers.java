package dev.vepconnector.sinks.salesforce;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Phone numbers as visitors type them ("070-123 45 67", "+46 (0)70 123 45 67", "0046 70 1234567 ext 12")
 * in one comparable form, so that a number in a chat form finds the Contact whose Phone holds the same
 * number however either was written. With the country calling code of numbers written without one
 * ({@code customer-matching.phone-country-code}), that form is E.164 ({@code +46701234567}); without it,
 * a national number stays its digits ({@code 0701234567}) and only matches a number written the same way.
 */
public final class PhoneNumbers {

    private static final Pattern EXTENSION = Pattern.compile("(?i)\\s*(ext\\.?|extension|x|#)\\s*\\d{1,6}\\s*$");
    /** "+46 (0)70 ...": the national trunk prefix some write after the country code. */
    private static final Pattern TRUNK_IN_INTERNATIONAL = Pattern.compile("^(\\+|00)\\s*(\\d{1,3})\\s*\\(0\\)");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s\\-./()\\u00a0]");
    private static final Pattern DIGITS = Pattern.compile("\\+?\\d+");
    private static final Pattern COUNTRY_CODE = Pattern.compile("[1-9]\\d{0,2}");
    /** E.164: at most 15 digits; anything shorter than 6 is no subscriber number. */
    private static final int MIN_DIGITS = 6;
    private static final int MAX_DIGITS = 15;

    private PhoneNumbers() {
    }

    /**
     * The number in its comparable form: {@code +<country><number>} when the country is known (written
     * with + or 00, or national with {@code countryCode} given), else its digits; null when the text is
     * no phone number (letters, too few or too many digits).
     *
     * @param countryCode the country calling code of numbers written without one ("46"), or null
     */
    public static String normalise(String text, String countryCode) {
        if (text == null) {
            return null;
        }
        String number = EXTENSION.matcher(text.strip()).replaceFirst("");
        number = TRUNK_IN_INTERNATIONAL.matcher(number).replaceFirst("$1$2");
        number = SEPARATORS.matcher(number).replaceAll("");
        if (!DIGITS.matcher(number).matches()) {
            return null;
        }
        String international = international(number, countryCode);
        String digits = international != null ? international.substring(1) : number;
        if (digits.length() < MIN_DIGITS || digits.length() > MAX_DIGITS) {
            return null;
        }
        return international != null ? international : number;
    }

    /** The ways a number is commonly stored without separators, for a query to find it: E.164, with 00, without +, national. */
    public static Set<String> writtenForms(String text, String countryCode) {
        Set<String> forms = new LinkedHashSet<>();
        if (text != null && !text.isBlank()) {
            forms.add(text.strip());
        }
        String normalised = normalise(text, countryCode);
        if (normalised == null) {
            return forms;
        }
        forms.add(normalised);
        if (normalised.startsWith("+")) {
            String digits = normalised.substring(1);
            forms.add(digits);
            forms.add("00" + digits);
            if (countryCode != null && digits.startsWith(countryCode)) {
                forms.add("0" + digits.substring(countryCode.length()));
            }
        }
        return forms;
    }

    /** Whether {@code countryCode} is a country calling code (1 to 3 digits, no leading 0). */
    public static boolean isCountryCode(String countryCode) {
        return countryCode != null && COUNTRY_CODE.matcher(countryCode).matches();
    }

    private static String international(String number, String countryCode) {
        if (number.startsWith("+")) {
            return number;
        }
        if (number.startsWith("00")) {
            return "+" + number.substring(2);
        }
        if (!isCountryCode(countryCode)) {
            return null;
        }
        if (number.startsWith("0")) {
            // the national trunk prefix: 070 123 45 67 in Sweden is +46 70 123 45 67
            return "+" + countryCode + number.substring(1);
        }
        // Without + or 00 and without a trunk 0: the country code written without its +, or a national number
        // of a country without trunk prefix (4155551212 in the US). National numbers have at most 10 digits.
        if (number.startsWith(countryCode) && number.length() > 10) {
            return "+" + number;
        }
        return "+" + countryCode + number;
    }
}
