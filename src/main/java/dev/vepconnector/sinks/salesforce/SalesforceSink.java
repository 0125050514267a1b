package dev.vepconnector.sinks.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vepconnector.sinks.RejectedDeliveryException;
import dev.vepconnector.sinks.RetryLaterException;
import dev.vepconnector.sinks.SinkHeaders;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Upserts each case record revision into Salesforce with one Composite API call: the Case by its
 * external-id field (so a redelivery updates instead of duplicating) and, when configured, a related
 * transcript record. camel-salesforce does the OAuth flow (JWT bearer or client credentials) and, on
 * INVALID_SESSION_ID, gets a new token and repeats the request once. Limits, lock contention and
 * server errors are retried; validation and field errors are refused with Salesforce's message.
 */
@Component("salesforceSink")
@ConditionalOnProperty(prefix = "vep.sinks.salesforce", name = "enabled", havingValue = "true")
public class SalesforceSink {

    private static final Logger log = LoggerFactory.getLogger(SalesforceSink.class);
    private static final String COMPONENT = "vep-salesforce";
    private static final Set<String> RETRYABLE = Set.of("REQUEST_LIMIT_EXCEEDED", "UNABLE_TO_LOCK_ROW", "SERVER_UNAVAILABLE",
            "INVALID_SESSION_ID", "API_CURRENTLY_DISABLED", "QUERY_TIMEOUT", "PROCESSING_HALTED_RETRY");
    private static final Pattern API_USAGE = Pattern.compile("api-usage=(\\d+)/(\\d+)");

    private final SalesforceSinkProperties properties;
    private final SalesforceCaseMapping mapping;
    private final ObjectMapper json;
    private final Clock clock;
    private final ProducerTemplate producer;
    private final String compositeUri;
    private final String dataPath;
    private volatile Instant pausedUntil = Instant.EPOCH;

    SalesforceSink(SalesforceSinkProperties properties, CamelContext camel, ObjectMapper json, Clock clock) {
        this.properties = properties;
        this.mapping = new SalesforceCaseMapping(properties.caseObject(), properties.transcript());
        this.json = json;
        this.clock = clock;
        camel.addComponent(COMPONENT, component(properties));
        this.producer = camel.createProducerTemplate();
        this.dataPath = "/services/data/v" + properties.apiVersion();
        this.compositeUri = COMPONENT + ":raw?format=JSON&rawMethod=POST&rawPath=" + dataPath + "/composite";
        log.info("Salesforce sink: {} flow at {}, Case upserted by {}", properties.auth().flow(), properties.loginUrl(),
                properties.caseObject().externalIdField());
    }

    private static SalesforceComponent component(SalesforceSinkProperties properties) {
        SalesforceSinkProperties.Auth auth = properties.auth();
        require(auth.clientId(), "auth.client-id");
        SalesforceComponent component = new SalesforceComponent();
        component.setLoginUrl(properties.loginUrl());
        component.setClientId(auth.clientId());
        // Records go out as raw JSON (no generated DTOs), so there are no DTO packages to scan.
        component.setPackages(SalesforceSink.class.getPackageName());
        // Log in on the first delivery, not at start: Salesforce being unreachable must not stop the connector.
        component.setLazyLogin(true);
        if (auth.flow() == SalesforceSinkProperties.Flow.CLIENT_CREDENTIALS) {
            require(auth.clientSecret(), "auth.client-secret");
            component.setAuthenticationType(AuthenticationType.CLIENT_CREDENTIALS);
            component.setClientSecret(auth.clientSecret());
        } else {
            require(auth.username(), "auth.username");
            require(auth.keystore(), "auth.keystore");
            KeyStoreParameters keystore = new KeyStoreParameters();
            keystore.setResource(auth.keystore());
            keystore.setPassword(auth.keystorePassword());
            keystore.setType("PKCS12");
            component.setAuthenticationType(AuthenticationType.JWT);
            component.setUserName(auth.username());
            component.setKeystore(keystore);
        }
        return component;
    }

    private static void require(String value, String property) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("vep.sinks.salesforce." + property + " is required for the configured flow");
        }
    }

    /** The route's step: upserts the exchange's record. */
    public void deliver(Exchange delivery) throws Exception {
        String caseId = delivery.getMessage().getHeader(SinkHeaders.CASE_ID, String.class);
        Duration paused = Duration.between(clock.instant(), pausedUntil);
        if (!paused.isNegative() && !paused.isZero()) {
            throw new RetryLaterException("paused near the org's API limit", paused);
        }
        JsonNode record = json.readTree(delivery.getMessage().getBody(String.class));
        String body = json.writeValueAsString(compositeRequest(caseId, record));
        Exchange exchange = producer.send(compositeUri, e -> e.getIn().setBody(body));
        noteApiUsage(exchange.getMessage().getHeader("Sforce-Limit-Info", String.class));
        Exception failure = exchange.getException();
        if (failure != null) {
            throw classify(failure, exchange.getMessage().getBody(String.class));
        }
        checkSubrequests(exchange.getMessage().getBody(String.class));
    }

    ObjectNode compositeRequest(String caseId, JsonNode record) {
        ObjectNode composite = json.createObjectNode();
        composite.put("allOrNone", true);
        ArrayNode requests = composite.putArray("compositeRequest");
        ObjectNode upsertCase = requests.addObject();
        upsertCase.put("method", "PATCH");
        upsertCase.put("url", dataPath + "/sobjects/Case/" + properties.caseObject().externalIdField() + "/" + encode(caseId));
        upsertCase.put("referenceId", "vepCase");
        upsertCase.set("body", mapping.caseFields(record));
        SalesforceSinkProperties.Transcript transcript = properties.transcript();
        if (transcript.mode() == SalesforceSinkProperties.TranscriptMode.RELATED_RECORD) {
            ObjectNode upsertTranscript = requests.addObject();
            upsertTranscript.put("method", "PATCH");
            upsertTranscript.put("url", dataPath + "/sobjects/" + transcript.object() + "/" + transcript.externalIdField() + "/" + encode(caseId));
            upsertTranscript.put("referenceId", "vepTranscript");
            ObjectNode fields = upsertTranscript.putObject("body");
            fields.put(transcript.bodyField(), mapping.transcriptText(record));
            // The Case by its external id: no need to know its Salesforce id.
            fields.putObject(transcript.caseLookup()).put(properties.caseObject().externalIdField(), caseId);
        }
        return composite;
    }

    /** Composite answers 200 with a status per subrequest; with allOrNone the failing one carries the reason. */
    private void checkSubrequests(String response) throws IOException, RejectedDeliveryException {
        if (response == null || response.isBlank()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        boolean retryable = false;
        for (JsonNode sub : json.readTree(response).path("compositeResponse")) {
            int status = sub.path("httpStatusCode").asInt(200);
            if (status < 300) {
                continue;
            }
            for (JsonNode error : sub.path("body")) {
                String code = error.path("errorCode").asText("");
                if ("PROCESSING_HALTED".equals(code)) {
                    continue;
                }
                problems.add(sub.path("referenceId").asText() + ": " + code + " " + error.path("message").asText("")
                        + (error.has("fields") ? " " + error.get("fields") : ""));
                retryable |= RETRYABLE.contains(code);
            }
            retryable |= status >= 500;
        }
        if (problems.isEmpty()) {
            return;
        }
        if (retryable) {
            throw new IOException("Salesforce: " + String.join("; ", problems));
        }
        throw new RejectedDeliveryException("Salesforce: " + String.join("; ", problems));
    }

    /** What a failed call means for the delivery: retry (IOException) or refusal; the errors come with the exception or in the body. */
    private Exception classify(Exception failure, String body) {
        SalesforceException salesforce = find(failure);
        if (salesforce == null) {
            return new IOException("Salesforce unreachable: " + failure.getMessage(), failure);
        }
        int status = salesforce.getStatusCode();
        List<String> codes = new ArrayList<>();
        StringBuilder message = new StringBuilder("Salesforce HTTP ").append(status);
        if (salesforce.getErrors() != null && !salesforce.getErrors().isEmpty()) {
            for (RestError error : salesforce.getErrors()) {
                codes.add(error.getErrorCode());
                message.append(": ").append(error.getErrorCode()).append(" ").append(error.getMessage());
            }
        } else {
            for (JsonNode error : errorsIn(body)) {
                codes.add(error.path("errorCode").asText());
                message.append(": ").append(error.path("errorCode").asText()).append(" ").append(error.path("message").asText());
            }
        }
        boolean retryable = status == 0 || status == 401 || status == 408 || status == 429 || status >= 500
                || codes.stream().anyMatch(RETRYABLE::contains);
        return retryable ? new IOException(message.toString(), salesforce) : new RejectedDeliveryException(message.toString(), salesforce);
    }

    private JsonNode errorsIn(String body) {
        try {
            JsonNode errors = body == null || body.isBlank() ? null : json.readTree(body);
            return errors != null && errors.isArray() ? errors : json.createArrayNode();
        } catch (IOException e) {
            return json.createArrayNode();
        }
    }

    private static SalesforceException find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SalesforceException salesforce) {
                return salesforce;
            }
        }
        return null;
    }

    /** Sforce-Limit-Info: api-usage=used/limit. Near the limit the sink pauses, so interactive users keep their API. */
    private void noteApiUsage(String limitInfo) {
        if (limitInfo == null) {
            return;
        }
        Matcher m = API_USAGE.matcher(limitInfo);
        if (m.find()) {
            double used = Double.parseDouble(m.group(1));
            double limit = Double.parseDouble(m.group(2));
            if (limit > 0 && used / limit >= properties.slowDownAt()) {
                pausedUntil = clock.instant().plus(properties.slowDownPause());
                log.warn("Salesforce API usage {} of {} reached {}% of the limit: pausing the sink for {}", (long) used, (long) limit,
                        Math.round(properties.slowDownAt() * 100), properties.slowDownPause());
            }
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
