package dev.vepconnector.sinks.salesforce;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake Salesforce org on WireMock that behaves like the real one where the sink depends on it: OAuth
 * (client credentials), the Composite API with {@code allOrNone} (a failing subrequest rolls back the
 * others, which answer PROCESSING_HALTED), references between subrequests ({@code @{vepCase.id}}), upserts
 * by external id (created once, updated after), SOQL queries ({@code =}, {@code IN}, {@code LIKE}, OR,
 * ORDER BY, LIMIT) answered from the records it holds, field lengths (STRING_TOO_LONG), unique external ids
 * (DUPLICATE_VALUE), required fields, a Lead's Task with a WhatId refused, {@code Sforce-Limit-Info}, and Bulk API 2.0
 * ingest jobs ({@link FakeBulkApi}).
 * What it holds is what a CRM admin would see in the org: tests assert on it and on the requests.
 */
final class FakeSalesforce implements AutoCloseable {

    static final String TOKEN = "/services/oauth2/token";
    static final String COMPOSITE = "/services/data/v62.0/composite";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ID_PREFIXES = Map.of("Account", "001", "Contact", "003", "Lead", "00Q", "Case", "500",
            "Task", "00T", "ContentVersion", "068", "ContentDocument", "069", "VEP_Transcript__c", "a0T");
    private static final Set<String> REFERENCE_FIELDS = Set.of("AccountId", "ContactId", "WhoId", "WhatId", "FirstPublishLocationId",
            "ContentDocumentId");
    private static final Map<String, List<String>> REQUIRED = Map.of("Contact", List.of("LastName"), "Lead", List.of("LastName", "Company"),
            "ContentVersion", List.of("Title", "PathOnClient", "VersionData"));

    private final FakeBulkApi bulk = new FakeBulkApi(this);
    private final WireMockServer server = new WireMockServer(options().dynamicPort().extensions(new CompositeApi(), bulk));
    private final Map<String, Integer> fieldLengths = new HashMap<>();
    private final Map<String, Set<String>> fieldsOf = new HashMap<>();
    private Org org = new Org();
    private int apiCalls;

    FakeSalesforce() {
        server.start();
        reset();
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    WireMockServer server() {
        return server;
    }

    /** An empty org (but the field lengths an admin gave its fields), and an empty request journal. */
    synchronized void reset() {
        server.resetAll();
        org = new Org();
        apiCalls = 0;
        fieldLengths.clear();
        fieldsOf.clear();
        fieldLengths.putAll(Map.of("Case.VEP_Transcript__c", 131_072, "Case.Subject", 255, "Task.Description", 32_000, "Task.Subject", 255,
                "Case.VEP_Case_Id__c", 100, "Task.VEP_Interaction_Id__c", 255, "ContentVersion.VEP_Transcript_Key__c", 255,
                "VEP_Transcript__c.Body__c", 131_072));
        server.stubFor(post(urlEqualTo(TOKEN)).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                {"access_token": "fake-token", "instance_url": "%s", "id": "%s/id/00D000000000001/005000000000001",
                 "token_type": "Bearer", "issued_at": "1764000000000", "signature": "c2lnbmF0dXJl"}""".formatted(url(), url()))));
        server.stubFor(post(urlEqualTo(COMPOSITE)).willReturn(aResponse().withTransformers(CompositeApi.NAME)));
        bulk.reset(server);
    }

    /** The org's Bulk API 2.0 ingest jobs. */
    FakeBulkApi bulk() {
        return bulk;
    }

    /** A Bulk API row's outcome: the record's id and whether it was created, or the error as the Bulk API writes it. */
    record BulkRow(String id, boolean created, String error) {
    }

    /** A Bulk API job's row upserting a record by an external id, with the org's checks; the org counts no call for it. */
    synchronized BulkRow bulkUpsert(String object, String externalIdField, String value, ObjectNode fields) {
        try {
            JsonNode answer = org.upsert(object, externalIdField, value, fields).body();
            return new BulkRow(answer.path("id").asText(), answer.path("created").asBoolean(), null);
        } catch (Refused refused) {
            return new BulkRow("", false, refused.code + ":" + refused.getMessage() + ":" + String.join(",", refused.fields) + " --");
        }
    }

    /** A REST API call the org counts (the Bulk API's). */
    synchronized int countApiCall() {
        return ++apiCalls;
    }

    /** An admin made the field this long (Text, Long Text Area). */
    synchronized void fieldLength(String object, String field, int length) {
        fieldLengths.put(object + "." + field, length);
    }

    /** The object has just these fields (else any): a query naming another is refused with INVALID_FIELD. */
    synchronized void fields(String object, Set<String> fields) {
        fieldsOf.put(object, fields);
    }

    /** A record as an admin or a user created it; its id. */
    synchronized String add(String object, Map<String, Object> fields) {
        return org.insert(object, JSON.valueToTree(fields));
    }

    synchronized void delete(String object, String id) {
        org.table(object).remove(id);
    }

    synchronized List<ObjectNode> records(String object) {
        return org.table(object).values().stream().map(ObjectNode::deepCopy).toList();
    }

    synchronized Optional<ObjectNode> record(String object, String field, String value) {
        return records(object).stream().filter(r -> value.equals(r.path(field).asText(null))).findFirst();
    }

    /** The files of a record (Files related list): the ContentDocuments first published to it, latest version each. */
    synchronized List<ObjectNode> latestFilesOf(String recordId) {
        List<String> documents = records("ContentVersion").stream().filter(v -> recordId.equals(v.path("FirstPublishLocationId").asText()))
                .map(v -> v.path("ContentDocumentId").asText()).distinct().toList();
        return records("ContentVersion").stream().filter(v -> documents.contains(v.path("ContentDocumentId").asText()))
                .filter(v -> v.path("IsLatest").asBoolean()).toList();
    }

    /** The text of a file version (VersionData decoded). */
    static String text(JsonNode version) {
        return new String(Base64.getDecoder().decode(version.path("VersionData").asText()), StandardCharsets.UTF_8);
    }

    List<LoggedRequest> tokenRequests() {
        return server.findAll(postRequestedFor(urlEqualTo(TOKEN)));
    }

    /** Every Composite request's body, in the order received. */
    List<JsonNode> composites() {
        return server.findAll(postRequestedFor(urlEqualTo(COMPOSITE))).stream().map(r -> parse(r.getBodyAsString())).toList();
    }

    /** The Composite requests that change the org (allOrNone), not the lookups. */
    List<JsonNode> deliveries() {
        return composites().stream().filter(c -> c.path("allOrNone").asBoolean()).toList();
    }

    List<JsonNode> lookups() {
        return composites().stream().filter(c -> !c.path("allOrNone").asBoolean()).toList();
    }

    /** REST API calls the org counted (what its daily limit counts: the token grants are not API calls). */
    synchronized int apiCalls() {
        return apiCalls;
    }

    @Override
    public void close() {
        server.stop();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A subrequest's failure, as Salesforce answers it: a status and [{errorCode, message, fields}]. */
    private static final class Refused extends RuntimeException {
        final int status;
        final String code;
        final List<String> fields;

        Refused(int status, String code, String message, String... fields) {
            super(message);
            this.status = status;
            this.code = code;
            this.fields = List.of(fields);
        }

        JsonNode body() {
            ArrayNode body = JSON.createArrayNode();
            ObjectNode error = body.addObject().put("errorCode", code).put("message", getMessage());
            if (!fields.isEmpty()) {
                error.set("fields", JSON.valueToTree(fields));
            }
            return body;
        }
    }

    private record Answer(int status, JsonNode body) {
    }

    /** The org's records: a table per object, by id. */
    private final class Org {
        final Map<String, Map<String, ObjectNode>> tables = new LinkedHashMap<>();
        int sequence;

        Map<String, ObjectNode> table(String object) {
            return tables.computeIfAbsent(object, o -> new LinkedHashMap<>());
        }

        Org copy() {
            Org copy = new Org();
            copy.sequence = sequence;
            tables.forEach((object, rows) -> rows.forEach((id, row) -> copy.table(object).put(id, row.deepCopy())));
            return copy;
        }

        String newId(String object) {
            sequence++;
            return ID_PREFIXES.getOrDefault(object, "a0X") + "5g" + "%010d".formatted(sequence) + "AAA";
        }

        String insert(String object, JsonNode fields) {
            ObjectNode row = fields.deepCopy();
            String id = newId(object);
            row.put("Id", id);
            row.put("CreatedDate", Instant.parse("2026-11-23T00:00:00Z").plusSeconds(sequence).toString());
            table(object).put(id, row);
            return id;
        }

        Answer execute(String method, String url, JsonNode body) {
            Matcher query = Pattern.compile("/services/data/v[0-9.]+/query\\?q=(.*)").matcher(url);
            Matcher upsert = Pattern.compile("/services/data/v[0-9.]+/sobjects/(\\w+)/(\\w+)/([^/]+)").matcher(url);
            Matcher create = Pattern.compile("/services/data/v[0-9.]+/sobjects/(\\w+)").matcher(url);
            if ("GET".equals(method) && query.matches()) {
                return new Answer(200, new Soql(URLDecoder.decode(query.group(1), StandardCharsets.UTF_8)).run(this));
            }
            if ("PATCH".equals(method) && upsert.matches()) {
                return upsert(upsert.group(1), upsert.group(2), URLDecoder.decode(upsert.group(3), StandardCharsets.UTF_8), body);
            }
            if ("POST".equals(method) && create.matches()) {
                return create(create.group(1), body);
            }
            throw new Refused(404, "NOT_FOUND", "The requested resource does not exist");
        }

        Answer upsert(String object, String externalIdField, String value, JsonNode body) {
            List<ObjectNode> existing = table(object).values().stream()
                    .filter(r -> value.equalsIgnoreCase(r.path(externalIdField).asText(null))).toList();
            if (existing.size() > 1) {
                throw new Refused(300, "MULTIPLE_CHOICES", "More than one record found for external id field " + externalIdField);
            }
            ObjectNode fields = body.deepCopy();
            fields.put(externalIdField, value);
            if (existing.isEmpty()) {
                String id = validatedInsert(object, fields);
                return new Answer(201, JSON.createObjectNode().put("id", id).put("success", true).<ObjectNode>set("errors", JSON.createArrayNode())
                        .put("created", true));
            }
            ObjectNode row = existing.get(0);
            if (object.equals("ContentVersion") && fields.has("VersionData")) {
                throw new Refused(400, "INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: VersionData.", "VersionData");
            }
            ObjectNode merged = row.deepCopy().setAll(fields);
            validate(object, merged);
            row.setAll(fields);
            return new Answer(200, JSON.createObjectNode().put("id", row.get("Id").asText()).put("success", true)
                    .<ObjectNode>set("errors", JSON.createArrayNode()).put("created", false));
        }

        Answer create(String object, JsonNode body) {
            String id = validatedInsert(object, body.deepCopy());
            return new Answer(201, JSON.createObjectNode().put("id", id).put("success", true).set("errors", JSON.createArrayNode()));
        }

        String validatedInsert(String object, ObjectNode fields) {
            validate(object, fields);
            for (String required : REQUIRED.getOrDefault(object, List.of())) {
                if (!fields.hasNonNull(required) || fields.get(required).asText().isBlank()) {
                    throw new Refused(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [" + required + "]", required);
                }
            }
            if (object.equals("ContentVersion")) {
                return insertVersion(fields);
            }
            return insert(object, fields);
        }

        /** A new file (ContentDocument and its first version, published to a record) or a new version of one. */
        String insertVersion(ObjectNode version) {
            String key = version.path("VEP_Transcript_Key__c").asText(null);
            if (key != null && table("ContentVersion").values().stream().anyMatch(v -> key.equals(v.path("VEP_Transcript_Key__c").asText()))) {
                throw new Refused(400, "DUPLICATE_VALUE", "duplicate value found: VEP_Transcript_Key__c duplicates value on record with id: "
                        + table("ContentVersion").values().stream().filter(v -> key.equals(v.path("VEP_Transcript_Key__c").asText()))
                        .findFirst().map(v -> v.get("Id").asText()).orElse(""), "VEP_Transcript_Key__c");
            }
            try {
                Base64.getDecoder().decode(version.path("VersionData").asText());
            } catch (IllegalArgumentException e) {
                throw new Refused(400, "JSON_PARSER_ERROR", "Cannot deserialize instance of base64 from VersionData", "VersionData");
            }
            String document = version.path("ContentDocumentId").asText(null);
            if (document != null && version.has("FirstPublishLocationId")) {
                throw new Refused(400, "FIELD_INTEGRITY_EXCEPTION", "A new version cannot be published to a record", "FirstPublishLocationId");
            }
            if (document == null) {
                document = insert("ContentDocument", JSON.createObjectNode().put("Title", version.path("Title").asText()));
                version.put("ContentDocumentId", document);
            } else {
                String of = document;
                table("ContentVersion").values().stream().filter(v -> of.equals(v.path("ContentDocumentId").asText()))
                        .forEach(v -> v.put("IsLatest", false));
                // the file stays where its first version was published
                table("ContentVersion").values().stream().filter(v -> of.equals(v.path("ContentDocumentId").asText())).findFirst()
                        .ifPresent(first -> version.put("FirstPublishLocationId", first.path("FirstPublishLocationId").asText()));
            }
            version.put("IsLatest", true);
            return insert("ContentVersion", version);
        }

        void validate(String object, ObjectNode fields) {
            fields.fields().forEachRemaining(field -> {
                Integer length = fieldLengths.get(object + "." + field.getKey());
                if (length != null && field.getValue().isTextual() && field.getValue().asText().length() > length) {
                    throw new Refused(400, "STRING_TOO_LONG", field.getKey() + ": data value too large: "
                            + field.getValue().asText().substring(0, 20) + "... (max length=" + length + ")", field.getKey());
                }
                if (REFERENCE_FIELDS.contains(field.getKey()) && field.getValue().isTextual() && !exists(field.getValue().asText())) {
                    throw new Refused(400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", field.getKey());
                }
            });
            if (object.equals("Task") && fields.path("WhoId").asText("").startsWith("00Q") && fields.hasNonNull("WhatId")) {
                throw new Refused(400, "FIELD_INTEGRITY_EXCEPTION", "Related To ID: You can't associate a task with a lead to a related record.",
                        "WhatId");
            }
        }

        void checkFields(String object, List<String> fields) {
            Set<String> known = fieldsOf.get(object);
            for (String field : fields) {
                if (known != null && !known.contains(field)) {
                    throw new Refused(400, "INVALID_FIELD", "No such column '" + field + "' on entity '" + object + "'. If you are attempting to "
                            + "use a custom field, be sure to append the '__c' after the custom field name.");
                }
            }
        }

        boolean exists(String id) {
            return tables.values().stream().anyMatch(rows -> rows.containsKey(id));
        }
    }

    /** The SOQL the sink sends: SELECT fields FROM object WHERE a = 'x' OR b IN ('y', 'z') OR c LIKE 'p%' [ORDER BY f [DESC]] [LIMIT n]. */
    private static final class Soql {
        private static final Pattern TOKEN = Pattern.compile("\\s*('(?:\\\\.|[^'\\\\])*'|[A-Za-z_][A-Za-z0-9_.]*|\\d+|[(),=])");
        private final List<String> tokens = new ArrayList<>();
        private int at;

        Soql(String soql) {
            Matcher matcher = TOKEN.matcher(soql);
            int end = 0;
            while (matcher.find() && matcher.start() == end) {
                tokens.add(matcher.group(1));
                end = matcher.end();
            }
            if (end != soql.stripTrailing().length()) {
                throw new Refused(400, "MALFORMED_QUERY", "unexpected token at " + end + ": " + soql.substring(end));
            }
        }

        JsonNode run(Org org) {
            expect("SELECT");
            List<String> fields = new ArrayList<>();
            do {
                fields.add(next());
            } while (accept(","));
            expect("FROM");
            String object = next();
            org.checkFields(object, fields);
            Predicate<JsonNode> where = r -> true;
            if (accept("WHERE")) {
                where = condition(org, object);
                while (accept("OR")) {
                    where = where.or(condition(org, object));
                }
            }
            Comparator<JsonNode> order = null;
            if (accept("ORDER")) {
                expect("BY");
                String field = next();
                order = Comparator.comparing(r -> r.path(field).asText(""));
                if (accept("DESC")) {
                    order = order.reversed();
                } else {
                    accept("ASC");
                }
            }
            int limit = accept("LIMIT") ? Integer.parseInt(next()) : Integer.MAX_VALUE;
            List<JsonNode> rows = new ArrayList<>(org.table(object).values().stream().filter(where).map(r -> (JsonNode) r).toList());
            if (order != null) {
                rows.sort(order);
            }
            ArrayNode records = JSON.createArrayNode();
            rows.stream().limit(limit).forEach(row -> {
                ObjectNode record = records.addObject();
                record.putObject("attributes").put("type", object).put("url", "/services/data/v62.0/sobjects/" + object + "/" + row.get("Id").asText());
                fields.forEach(f -> record.set(f, row.hasNonNull(f) ? row.get(f) : JSON.nullNode()));
            });
            return JSON.createObjectNode().put("totalSize", records.size()).put("done", true).set("records", records);
        }

        private Predicate<JsonNode> condition(Org org, String object) {
            String field = next();
            org.checkFields(object, List.of(field));
            if (accept("=")) {
                String value = literal(next());
                return r -> r.hasNonNull(field) && r.get(field).asText().equalsIgnoreCase(value);
            }
            if (accept("IN")) {
                expect("(");
                List<String> values = new ArrayList<>();
                do {
                    values.add(literal(next()).toLowerCase(Locale.ROOT));
                } while (accept(","));
                expect(")");
                return r -> r.hasNonNull(field) && values.contains(r.get(field).asText().toLowerCase(Locale.ROOT));
            }
            expect("LIKE");
            Pattern like = like(next());
            return r -> r.hasNonNull(field) && like.matcher(r.get(field).asText()).matches();
        }

        private static String literal(String token) {
            if (!token.startsWith("'")) {
                throw new Refused(400, "MALFORMED_QUERY", "expected a string, found " + token);
            }
            return token.substring(1, token.length() - 1).replaceAll("\\\\(.)", "$1");
        }

        private static Pattern like(String token) {
            String pattern = token.substring(1, token.length() - 1);
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (c == '\\' && i + 1 < pattern.length()) {
                    regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
                } else if (c == '%') {
                    regex.append(".*");
                } else if (c == '_') {
                    regex.append('.');
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
        }

        private String next() {
            if (at >= tokens.size()) {
                throw new Refused(400, "MALFORMED_QUERY", "unexpected end of query");
            }
            return tokens.get(at++);
        }

        private boolean accept(String keyword) {
            if (at < tokens.size() && tokens.get(at).equalsIgnoreCase(keyword)) {
                at++;
                return true;
            }
            return false;
        }

        private void expect(String keyword) {
            if (!accept(keyword)) {
                throw new Refused(400, "MALFORMED_QUERY", "expected " + keyword + " at " + (at < tokens.size() ? tokens.get(at) : "the end"));
            }
        }
    }

    /** The Composite API: POST /services/data/v62.0/composite. */
    private final class CompositeApi implements ResponseDefinitionTransformerV2 {
        static final String NAME = "fake-salesforce-composite";
        private static final Pattern REFERENCE = Pattern.compile("@\\{(\\w+)\\.([^}]+)}");

        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            synchronized (FakeSalesforce.this) {
                apiCalls++;
                JsonNode request = parse(event.getRequest().getBodyAsString());
                boolean allOrNone = request.path("allOrNone").asBoolean(false);
                Org working = allOrNone ? org.copy() : org;
                Map<String, JsonNode> answered = new HashMap<>();
                ArrayNode responses = JSON.createArrayNode();
                boolean failed = false;
                for (JsonNode subrequest : request.path("compositeRequest")) {
                    String referenceId = subrequest.path("referenceId").asText();
                    Answer answer;
                    if (failed) {
                        answer = halted();
                    } else {
                        try {
                            answer = working.execute(subrequest.path("method").asText(), resolve(subrequest.path("url").asText(), answered),
                                    resolve(subrequest.path("body"), answered));
                        } catch (Refused refused) {
                            answer = new Answer(refused.status, refused.body());
                            failed = allOrNone;
                        }
                    }
                    answered.put(referenceId, answer.body());
                    responses.addObject().<ObjectNode>set("body", answer.body()).<ObjectNode>set("httpHeaders", JSON.createObjectNode())
                            .put("httpStatusCode", answer.status()).put("referenceId", referenceId);
                }
                if (failed) {
                    // rolled back: what succeeded before the failure is not kept either
                    responses.forEach(response -> {
                        if (response.path("httpStatusCode").asInt() < 300) {
                            ((ObjectNode) response).set("body", halted().body());
                            ((ObjectNode) response).put("httpStatusCode", 400);
                        }
                    });
                } else if (allOrNone) {
                    org = working;
                }
                return ResponseDefinitionBuilder.responseDefinition().withStatus(200).withHeader("Content-Type", "application/json")
                        .withHeader("Sforce-Limit-Info", "api-usage=" + apiCalls + "/15000")
                        .withBody(JSON.createObjectNode().set("compositeResponse", responses).toString()).build();
            }
        }

        private Answer halted() {
            return new Answer(400, new Refused(400, "PROCESSING_HALTED",
                    "The transaction was rolled back since another operation in the same transaction failed.").body());
        }

        private String resolve(String text, Map<String, JsonNode> answered) {
            Matcher reference = REFERENCE.matcher(text);
            StringBuilder resolved = new StringBuilder();
            while (reference.find()) {
                JsonNode value = answered.get(reference.group(1));
                for (String step : reference.group(2).split("\\.")) {
                    Matcher indexed = Pattern.compile("(\\w+)\\[(\\d+)]").matcher(step);
                    value = value == null ? null : indexed.matches() ? value.path(indexed.group(1)).path(Integer.parseInt(indexed.group(2)))
                            : value.path(step);
                }
                if (value == null || !value.isValueNode()) {
                    throw new Refused(400, "INVALID_FIELD", "Invalid reference specified. No value for " + reference.group(1) + "."
                            + reference.group(2) + " found in " + reference.group(1));
                }
                reference.appendReplacement(resolved, Matcher.quoteReplacement(value.asText()));
            }
            return reference.appendTail(resolved).toString();
        }

        private JsonNode resolve(JsonNode body, Map<String, JsonNode> answered) {
            if (body.isTextual()) {
                return TextNode.valueOf(resolve(body.asText(), answered));
            }
            if (body.isObject()) {
                ObjectNode copy = JSON.createObjectNode();
                body.fields().forEachRemaining(field -> copy.set(field.getKey(), resolve(field.getValue(), answered)));
                return copy;
            }
            return body;
        }
    }
}
