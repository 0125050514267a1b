package dev.vepconnector.privacy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds payment card numbers in free text and masks them: 13 to 19 digits, optionally in groups
 * separated by one space or dash, passing the Luhn check (as every issued card number does). All
 * digits but the last four become {@code *}, the separators stay, so "4111 1111 1111 1111" reads
 * "**** **** **** 1111" (PCI DSS allows at most the first six and last four to be shown). Within a
 * longer run of digit groups ("4111 1111 1111 1111 exp 12 2027" has none, "4111 1111 1111 1111 2027"
 * has one) a card number is looked for at group boundaries. Other numbers (order numbers, dates,
 * amounts) fail the length or the Luhn check and stay as they are.
 */
final class CardNumbers {

    /** Digits, each pair optionally separated by one space or dash. */
    private static final Pattern DIGIT_RUN = Pattern.compile("(?<![\\d*])\\d(?:[ -]?\\d)*(?!\\d)");
    private static final int MIN_DIGITS = 13;
    private static final int MAX_DIGITS = 19;
    private static final int SHOWN = 4;

    private CardNumbers() {
    }

    /** The text with every card number masked; the same instance when there is none. */
    static String mask(String text, Runnable onMasked) {
        Matcher run = DIGIT_RUN.matcher(text);
        StringBuilder out = null;
        int copied = 0;
        while (run.find()) {
            int[] span = cardIn(text, run.start(), run.end());
            if (span == null) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, copied, span[0]).append(masked(text.substring(span[0], span[1])));
            copied = span[1];
            onMasked.run();
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    /**
     * Start and end of the longest card number in the run, at its group boundaries; null if none.
     * Windows grow group by group only while they hold at most 19 digits, so a long run costs little.
     */
    private static int[] cardIn(String text, int start, int end) {
        List<int[]> groups = new ArrayList<>();
        int groupStart = start;
        for (int i = start; i <= end; i++) {
            if (i == end || !Character.isDigit(text.charAt(i))) {
                groups.add(new int[] {groupStart, i});
                groupStart = i + 1;
            }
        }
        int[] best = null;
        int bestDigits = 0;
        for (int first = 0; first < groups.size(); first++) {
            StringBuilder digits = new StringBuilder(MAX_DIGITS);
            for (int last = first; last < groups.size(); last++) {
                digits.append(text, groups.get(last)[0], groups.get(last)[1]);
                if (digits.length() > MAX_DIGITS) {
                    break;
                }
                if (digits.length() >= MIN_DIGITS && digits.length() > bestDigits && luhn(digits)) {
                    best = new int[] {groups.get(first)[0], groups.get(last)[1]};
                    bestDigits = digits.length();
                }
            }
        }
        return best;
    }

    static boolean luhn(CharSequence digits) {
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    private static String masked(String number) {
        int digitsLeft = (int) number.chars().filter(Character::isDigit).count();
        StringBuilder out = new StringBuilder(number.length());
        for (char c : number.toCharArray()) {
            if (Character.isDigit(c)) {
                out.append(digitsLeft-- > SHOWN ? '*' : c);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
