package dev.vepconnector.sinks.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The customer rules of one record: what the rules file ({@code routes/salesforce-customer.jq}) made of
 * it. Rules are tried in order; the first that finds any Contact decides: one Contact links the Case,
 * several leave it unlinked. {@link #query()} asks for the candidates of every rule at once (one SOQL
 * query per record, never one per rule); {@link #decide} picks from its answer.
 *
 * @param rules    the rules with a value in this record (a rule whose record path is empty is left out)
 * @param whenNone what happens when no rule finds a Contact
 */
record CustomerRules(List<Rule> rules, WhenNone whenNone) {

    /** Enough to tell one from several for every rule, and a bound on what one record can pull from the org. */
    static final int QUERY_LIMIT = 100;
    private static final int MAX_RULES = 10;
    /** Longer values cannot be in a Text field Salesforce can filter on (255 at most). */
    private static final int MAX_VALUE = 255;
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,79}");

    enum WhenNone {
        /** the Case stays unlinked and is listed for an admin (GET /api/sinks/salesforce/unmatched) */
        LEAVE,
        /** a Contact is created from the mapping's new-contact fields and linked */
        CONTACT,
        /** a Lead is created from the mapping's new-lead fields; the Case stays unlinked (a Case has no Lead) */
        LEAD;

        static WhenNone of(String name) {
            for (WhenNone value : values()) {
                if (value.name().equalsIgnoreCase(name)) {
                    return value;
                }
            }
            throw new IllegalArgumentException("whenNone is \"" + name + "\": it is one of \"leave\", \"contact\", \"lead\"");
        }
    }

    /** How a rule's record value and a Contact's field value are brought to one form before they are compared. */
    enum Normalise {
        /** trimmed; compared ignoring case, as SOQL compares text */
        TEXT,
        /** trimmed, lower case */
        EMAIL,
        /** {@link PhoneNumbers#normalise}: any way of writing the number */
        PHONE;

        static Normalise of(String name) {
            if (name == null) {
                return TEXT;
            }
            for (Normalise value : values()) {
                if (value.name().equalsIgnoreCase(name)) {
                    return value;
                }
            }
            throw new IllegalArgumentException("normalise is \"" + name + "\": it is \"email\", \"phone\" or left out");
        }
    }

    /**
     * @param field     the Contact field (API name) the value is looked for in
     * @param value     the record's value, normalised
     * @param lookFor   the forms of the value the query asks for (a phone number as it is commonly stored)
     */
    record Rule(String field, Normalise normalise, String value, Set<String> lookFor, String countryCode) {

        boolean matches(JsonNode contactValue) {
            if (contactValue == null || !contactValue.isValueNode() || contactValue.isNull()) {
                return false;
            }
            String theirs = normalised(normalise, contactValue.asText(), countryCode);
            return theirs != null && theirs.equalsIgnoreCase(value);
        }
    }

    /** The outcome for one record. */
    record Decision(String outcome, String matchedBy, String contactId, String accountId, List<String> candidates) {

        static Decision none() {
            return new Decision("none", null, null, null, List.of());
        }
    }

    /**
     * Reads the rules file's output for one record:
     * {@code {rules: [{field: "Email", value: .visitorProfile.email, normalise: "email"}, ...], whenNone: "leave"}}.
     *
     * @throws IllegalArgumentException saying what in the rules is wrong
     */
    static CustomerRules from(JsonNode config, String countryCode) {
        if (config == null || !config.isObject()) {
            throw new IllegalArgumentException("the customer rules give " + (config == null ? "nothing" : config.getNodeType())
                    + ", not an object {rules: [...], whenNone: ...}");
        }
        JsonNode rules = config.path("rules");
        if (!rules.isArray()) {
            throw new IllegalArgumentException("the customer rules have no list \"rules\"");
        }
        if (rules.size() > MAX_RULES) {
            throw new IllegalArgumentException("the customer rules have " + rules.size() + " rules; at most " + MAX_RULES);
        }
        WhenNone whenNone = WhenNone.of(config.path("whenNone").asText("leave"));
        List<Rule> withValues = new ArrayList<>();
        for (JsonNode rule : rules) {
            String field = rule.path("field").asText("");
            if (!FIELD_NAME.matcher(field).matches()) {
                throw new IllegalArgumentException("a customer rule's field is \"" + field + "\": a Contact field's API name (Email, VEP_Customer_No__c)");
            }
            Normalise normalise = Normalise.of(rule.path("normalise").isTextual() ? rule.get("normalise").asText() : null);
            JsonNode value = rule.path("value");
            if (value.isContainerNode()) {
                throw new IllegalArgumentException("the customer rule for " + field + " gives " + value.getNodeType() + ", not a text or number");
            }
            String normalised = value.isValueNode() && !value.isNull() ? normalised(normalise, value.asText(), countryCode) : null;
            if (normalised != null && normalised.length() <= MAX_VALUE) {
                Set<String> lookFor = normalise == Normalise.PHONE ? PhoneNumbers.writtenForms(value.asText(), countryCode) : Set.of(normalised);
                withValues.add(new Rule(field, normalise, normalised, lookFor, countryCode));
            }
        }
        return new CustomerRules(List.copyOf(withValues), whenNone);
    }

    boolean hasValues() {
        return !rules.isEmpty();
    }

    /** The values the rules looked for, by Contact field: what a Contact created for this visitor gets, so the next record finds it. */
    Map<String, String> keys() {
        Map<String, String> keys = new LinkedHashMap<>();
        rules.forEach(rule -> keys.putIfAbsent(rule.field(), rule.value()));
        return keys;
    }

    /** One SOQL query for every rule: {@code SELECT Id, AccountId, Email, Phone FROM Contact WHERE Email = '...' OR Phone IN (...)}. */
    String query() {
        Set<String> fields = new LinkedHashSet<>(List.of("Id", "AccountId"));
        List<String> conditions = new ArrayList<>();
        for (Rule rule : rules) {
            fields.add(rule.field());
            List<String> literals = rule.lookFor().stream().map(CustomerRules::literal).toList();
            conditions.add(literals.size() == 1 ? rule.field() + " = " + literals.get(0)
                    : rule.field() + " IN (" + String.join(", ", literals) + ")");
        }
        return "SELECT " + String.join(", ", fields) + " FROM Contact WHERE " + String.join(" OR ", conditions) + " LIMIT " + QUERY_LIMIT;
    }

    /** The outcome, from the query's Contacts: the first rule that finds any decides. */
    Decision decide(JsonNode contacts) {
        List<JsonNode> found = new ArrayList<>();
        contacts.forEach(found::add);
        // The answer was cut at the limit: a rule that seems to find one may find more.
        boolean cut = found.size() >= QUERY_LIMIT;
        for (Rule rule : rules) {
            Map<String, JsonNode> matches = new LinkedHashMap<>();
            for (JsonNode contact : found) {
                if (rule.matches(contact.get(rule.field()))) {
                    matches.putIfAbsent(contact.path("Id").asText(), contact);
                }
            }
            if (matches.size() == 1 && !cut) {
                JsonNode contact = matches.values().iterator().next();
                JsonNode account = contact.path("AccountId");
                return new Decision("one", rule.field(), contact.path("Id").asText(), account.isTextual() ? account.asText() : null,
                        List.of(contact.path("Id").asText()));
            }
            if (!matches.isEmpty()) {
                return new Decision("several", rule.field(), null, null, List.copyOf(matches.keySet()));
            }
        }
        return Decision.none();
    }

    private static String normalised(Normalise normalise, String text, String countryCode) {
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.isEmpty()) {
            return null;
        }
        return switch (normalise) {
            case TEXT -> trimmed;
            case EMAIL -> trimmed.toLowerCase(Locale.ROOT);
            case PHONE -> PhoneNumbers.normalise(trimmed, countryCode);
        };
    }

    /** A SOQL LIKE pattern for values starting with prefix: its own % and _ taken literally. */
    static String likePrefix(String prefix) {
        String quoted = literal(prefix);
        return quoted.substring(0, quoted.length() - 1).replace("%", "\\%").replace("_", "\\_") + "%'";
    }

    /** A SOQL string literal: quotes and backslashes escaped, as SOQL wants them. */
    static String literal(String value) {
        StringBuilder literal = new StringBuilder("'");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\'' -> literal.append("\\'");
                case '\\' -> literal.append("\\\\");
                case '"' -> literal.append("\\\"");
                case '\n' -> literal.append("\\n");
                case '\r' -> literal.append("\\r");
                case '\t' -> literal.append("\\t");
                default -> literal.append(c);
            }
        }
        return literal.append('\'').toString();
    }
}
