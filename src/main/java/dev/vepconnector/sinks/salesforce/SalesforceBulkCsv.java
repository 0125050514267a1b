package dev.vepconnector.sinks.salesforce;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.sinks.RejectedDeliveryException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URLDecoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The Bulk API's CSV, both ways. Out: the Case rows of a bulk job, from the mapping's Composite requests (the
 * fields of each request's Case subrequest, {@code referenceId: "vepCase"}); in: the job's results, read back
 * to the cases they are about by {@code VEP_Case_Id__c}, which Salesforce echoes with every row.
 */
@Component("salesforceBulkCsv")
@ConditionalOnProperty(prefix = "vep.sinks.salesforce", name = "enabled", havingValue = "true")
public class SalesforceBulkCsv {

    static final String EXTERNAL_ID = "VEP_Case_Id__c";
    static final String CASE_REFERENCE = "vepCase";
    private static final String CASE_URL = "/sobjects/Case/" + EXTERNAL_ID + "/";

    private final ObjectMapper json;

    SalesforceBulkCsv(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The CSV of the requests' Cases: the external id first, then every field any of them has, in the order the
     * mapping gives them. A field a Case lacks is empty, which the Bulk API leaves as it is in Salesforce, as the
     * Composite path leaves a field the mapping gives no value.
     */
    public String rows(List<?> mappedRequests) throws IOException, RejectedDeliveryException {
        List<Map<String, String>> rows = new ArrayList<>();
        for (Object request : mappedRequests) {
            // blank: a record the route leaves to the Composite path
            if (request != null && !request.toString().isBlank()) {
                caseRow(json.readTree(request.toString())).ifPresent(rows::add);
            }
        }
        if (rows.isEmpty()) {
            throw new RejectedDeliveryException("no record of the job can go in bulk: the mapping gave no Case subrequest (referenceId \""
                    + CASE_REFERENCE + "\", url ..." + CASE_URL + "<caseId>), or every transcript needs a file");
        }
        Set<String> columns = new LinkedHashSet<>(List.of(EXTERNAL_ID));
        rows.forEach(row -> columns.addAll(row.keySet()));
        StringBuilder csv = new StringBuilder();
        csv.append(String.join(",", columns)).append('\n');
        for (Map<String, String> row : rows) {
            csv.append(String.join(",", columns.stream().map(column -> quoted(row.get(column))).toList())).append('\n');
        }
        return csv.toString();
    }

    /** The fields of the request's Case subrequest, with the case id from its URL; empty when it has none. */
    Optional<Map<String, String>> caseRow(JsonNode request) {
        for (JsonNode subrequest : request.path("compositeRequest")) {
            String url = subrequest.path("url").asText("");
            int at = url.indexOf(CASE_URL);
            if (CASE_REFERENCE.equals(subrequest.path("referenceId").asText()) && at >= 0) {
                Map<String, String> row = new LinkedHashMap<>();
                row.put(EXTERNAL_ID, URLDecoder.decode(url.substring(at + CASE_URL.length()), UTF_8));
                flatten("", subrequest.path("body"), row);
                return Optional.of(row);
            }
        }
        return Optional.empty();
    }

    /**
     * A field per value; a nested object is a relationship by the related record's external id, which the Bulk
     * API writes {@code Parent__r.External_Id__c}. Left out: arrays, nulls, and values that refer to another
     * subrequest's result ({@code @{vepContact.records[0].Id}}), which only the Composite request resolves.
     */
    private static void flatten(String prefix, JsonNode object, Map<String, String> row) {
        object.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            String name = prefix + field.getKey();
            if (value.isObject() && !"attributes".equals(field.getKey())) {
                flatten(name + ".", value, row);
            } else if (value.isValueNode() && !value.isNull() && !value.asText().contains("@{")) {
                row.put(name, value.asText());
            }
        });
    }

    private static String quoted(String value) {
        return value == null ? "" : '"' + value.replace("\"", "\"\"") + '"';
    }

    /** The case ids of a results CSV ({@code successfulResults}). */
    public List<String> caseIds(InputStream results) throws IOException {
        List<String> caseIds = new ArrayList<>();
        read(results, row -> caseIds.add(row.get(EXTERNAL_ID)));
        return caseIds;
    }

    /** Case id to Salesforce's error, of a {@code failedResults} CSV. */
    public Map<String, String> errors(InputStream results) throws IOException {
        Map<String, String> errors = new LinkedHashMap<>();
        read(results, row -> errors.put(row.get(EXTERNAL_ID), row.getOrDefault("sf__Error", "")));
        return errors;
    }

    /** Reads a CSV row by row (a result row echoes the whole upload, transcripts included: never all at once). */
    static void read(InputStream csv, Consumer<Map<String, String>> each) throws IOException {
        if (csv == null) {
            return;
        }
        try (Reader in = new BufferedReader(new InputStreamReader(csv, UTF_8))) {
            List<String> header = record(in);
            for (List<String> fields = record(in); fields != null; fields = record(in)) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < fields.size() && header != null && i < header.size(); i++) {
                    row.put(header.get(i), fields.get(i));
                }
                if (row.get(EXTERNAL_ID) != null) {
                    each.accept(row);
                }
            }
        }
    }

    /** One CSV record (RFC 4180: a quoted field may hold commas, doubled quotes and line breaks); null at the end. */
    private static List<String> record(Reader in) throws IOException {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int c = in.read();
        if (c < 0) {
            return null;
        }
        for (; c >= 0; c = in.read()) {
            if (quoted) {
                if (c == '"') {
                    in.mark(1);
                    if (in.read() == '"') {
                        field.append('"');
                    } else {
                        in.reset();
                        quoted = false;
                    }
                } else {
                    field.append((char) c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                break;
            } else if (c != '\r') {
                field.append((char) c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
