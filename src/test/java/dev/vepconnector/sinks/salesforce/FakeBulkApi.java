package dev.vepconnector.sinks.salesforce;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fake org's Bulk API 2.0 ingest jobs, with their lifecycle as Salesforce runs it: created Open, the CSV
 * uploaded, closed to UploadComplete, InProgress at the first look and JobComplete at the next, when its rows
 * are upserted into the org ({@link FakeSalesforce#bulkUpsert}, the org's own checks); then its successful and
 * failed results as CSV echoing the uploaded columns. A case named in {@link #refuse} fails as a validation rule
 * makes it; {@link #failJobs} makes jobs fail as a whole, as a job naming a field the org lacks does.
 */
final class FakeBulkApi implements ResponseDefinitionTransformerV2 {

    static final String INGEST = "/services/data/v62.0/jobs/ingest";
    static final String NAME = "fake-salesforce-bulk";
    static final String VALIDATION_ERROR = "FIELD_CUSTOM_VALIDATION_EXCEPTION:Closed cases need a reason:Reason --";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern JOB_PATH = Pattern.compile(Pattern.quote(INGEST) + "/([^/]+)(/.*)?");

    private final FakeSalesforce org;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final Map<String, Boolean> refused = new ConcurrentHashMap<>();
    private final AtomicInteger nextJob = new AtomicInteger(1);
    private volatile String jobFailure;
    private volatile WireMockServer server;

    FakeBulkApi(FakeSalesforce org) {
        this.org = org;
    }

    void reset(WireMockServer server) {
        this.server = server;
        jobs.clear();
        refused.clear();
        jobFailure = null;
        server.stubFor(any(urlPathMatching(Pattern.quote(INGEST) + "(/.*)?")).willReturn(aResponse().withTransformers(NAME)));
    }

    /** A validation rule refuses this case's Case in Bulk jobs. */
    void refuse(String caseId) {
        refused.put(caseId, true);
    }

    /** Jobs fail as a whole from now on, with this error and no results. */
    void failJobs(String errorMessage) {
        jobFailure = errorMessage;
    }

    /** The requests of that method to paths matching the pattern, newest first. */
    List<LoggedRequest> requests(String method, String pathPattern) {
        return server.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(r -> r.getMethod().getName().equals(method) && r.getUrl().matches(pathPattern)).map(LoggedRequest.class::cast).toList();
    }

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
        try {
            int calls = org.countApiCall();
            return answer(event.getRequest(), calls);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One ingest job as Salesforce keeps it. */
    private static final class Job {
        final String id;
        final ObjectNode request;
        volatile String state = "Open";
        volatile String csv;
        volatile int looks;
        final List<String[]> successful = new ArrayList<>();
        final List<String[]> failed = new ArrayList<>();

        Job(String id, ObjectNode request) {
            this.id = id;
            this.request = request;
        }
    }

    private ResponseDefinition answer(Request request, int calls) throws IOException {
        String method = request.getMethod().getName();
        Matcher path = JOB_PATH.matcher(request.getUrl());
        if (!path.matches()) {
            return "POST".equals(method) ? create(request, calls) : json(404, "[{\"errorCode\": \"NOT_FOUND\"}]", calls);
        }
        Job job = jobs.get(path.group(1));
        if (job == null) {
            return json(404, "[{\"errorCode\": \"NOT_FOUND\", \"message\": \"The requested resource does not exist\"}]", calls);
        }
        return switch (method + " " + (path.group(2) == null ? "" : path.group(2))) {
            case "PUT /batches" -> upload(job, request, calls);
            case "PATCH " -> changeState(job, request, calls);
            case "GET " -> look(job, calls);
            case "GET /successfulResults" -> csv(results(job, job.successful, "\"sf__Id\",\"sf__Created\""));
            case "GET /failedResults" -> csv(results(job, job.failed, "\"sf__Id\",\"sf__Error\""));
            default -> json(405, "[{\"errorCode\": \"METHOD_NOT_ALLOWED\"}]", calls);
        };
    }

    private ResponseDefinition create(Request request, int calls) throws IOException {
        Job job = new Job("750000000000" + nextJob.getAndIncrement(), (ObjectNode) JSON.readTree(request.getBodyAsString()));
        jobs.put(job.id, job);
        return json(200, jobJson(job), calls);
    }

    private ResponseDefinition upload(Job job, Request request, int calls) {
        if (!"Open".equals(job.state)) {
            return json(400, "[{\"errorCode\": \"INVALIDJOBSTATE\", \"message\": \"Job is not open\"}]", calls);
        }
        job.csv = request.getBodyAsString();
        return ResponseDefinitionBuilder.responseDefinition().withStatus(201).build();
    }

    private ResponseDefinition changeState(Job job, Request request, int calls) throws IOException {
        job.state = JSON.readTree(request.getBodyAsString()).path("state").asText();
        return json(200, jobJson(job), calls);
    }

    /** UploadComplete: InProgress at the first look, then done, its rows upserted into the org. */
    private ResponseDefinition look(Job job, int calls) {
        synchronized (job) {
            if ("UploadComplete".equals(job.state) || "InProgress".equals(job.state)) {
                if (job.looks++ == 0) {
                    job.state = "InProgress";
                } else if (jobFailure != null) {
                    job.state = "Failed";
                } else {
                    process(job);
                    job.state = "JobComplete";
                }
            }
        }
        return json(200, jobJson(job), calls);
    }

    private void process(Job job) {
        List<String[]> rows = rows(job.csv);
        String[] header = rows.get(0);
        String object = job.request.path("object").asText();
        String externalId = job.request.path("externalIdFieldName").asText();
        for (String[] row : rows.subList(1, rows.size())) {
            ObjectNode fields = JSON.createObjectNode();
            String value = null;
            for (int i = 0; i < header.length; i++) {
                if (header[i].equals(externalId)) {
                    value = row[i];
                } else if (!row[i].isEmpty()) {
                    fields.put(header[i], row[i]); // an empty cell leaves the field as it is
                }
            }
            FakeSalesforce.BulkRow result = refused.containsKey(value) ? new FakeSalesforce.BulkRow("", false, VALIDATION_ERROR)
                    : org.bulkUpsert(object, externalId, value, fields);
            if (result.error() == null) {
                job.successful.add(prefixed(row, result.id(), String.valueOf(result.created())));
            } else {
                job.failed.add(prefixed(row, "", result.error()));
            }
        }
    }

    private static String[] prefixed(String[] row, String first, String second) {
        String[] prefixed = new String[row.length + 2];
        prefixed[0] = first;
        prefixed[1] = second;
        System.arraycopy(row, 0, prefixed, 2, row.length);
        return prefixed;
    }

    private String jobJson(Job job) {
        ObjectNode answer = job.request.deepCopy();
        answer.put("id", job.id).put("state", job.state).put("apiVersion", "62.0");
        if ("JobComplete".equals(job.state)) {
            answer.put("numberRecordsProcessed", job.successful.size() + job.failed.size()).put("numberRecordsFailed", job.failed.size());
        } else if ("Failed".equals(job.state)) {
            answer.put("errorMessage", jobFailure).put("numberRecordsProcessed", 0).put("numberRecordsFailed", 0);
        }
        return answer.toString();
    }

    /** The rows of one outcome: the two sf__ columns, then every uploaded column, quoted. */
    private static String results(Job job, List<String[]> rows, String firstColumns) {
        StringBuilder csv = new StringBuilder(firstColumns);
        for (String column : rows(job.csv == null ? "x\n" : job.csv).get(0)) {
            csv.append(",\"").append(column).append('"');
        }
        csv.append('\n');
        for (String[] row : rows) {
            List<String> quoted = new ArrayList<>();
            for (String value : row) {
                quoted.add('"' + value.replace("\"", "\"\"") + '"');
            }
            csv.append(String.join(",", quoted)).append('\n');
        }
        return csv.toString();
    }

    private static ResponseDefinition json(int status, String body, int calls) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status).withHeader("Content-Type", "application/json")
                .withHeader("Sforce-Limit-Info", "api-usage=" + calls + "/15000").withBody(body).build();
    }

    private static ResponseDefinition csv(String body) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(200).withHeader("Content-Type", "text/csv").withBody(body).build();
    }

    /** A CSV's records (RFC 4180: quoted fields may hold commas, doubled quotes and line breaks), the header first. */
    static List<String[]> rows(String csv) {
        List<String[]> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted && c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                field.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (!quoted && c == '\n') {
                fields.add(field.toString());
                field.setLength(0);
                rows.add(fields.toArray(String[]::new));
                fields.clear();
            } else {
                field.append(c);
            }
        }
        if (field.length() > 0 || !fields.isEmpty()) {
            fields.add(field.toString());
            rows.add(fields.toArray(String[]::new));
        }
        return rows;
    }
}
