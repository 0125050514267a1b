package dev.vepconnector.support;

import dev.vepconnector.sinks.SinkHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/** Exchanges as the vep-sink consumer hands them to a sink's route, for route tests that drive the route directly. */
public final class SinkRouteExchanges {

    private SinkRouteExchanges() {
    }

    public static String record(String caseId, int revision, String outcome) {
        return """
                {"schemaVersion":1,"caseId":"%s","revision":%d,"outcome":"%s","caseType":{"id":"type-orders","name":"Orders"}}"""
                .formatted(caseId, revision, outcome);
    }

    /** Sends one record revision to {@code endpoint}; the returned exchange carries the route's outcome (its exception, if any). */
    public static Exchange send(ProducerTemplate producer, String endpoint, String sink, String caseId, int revision, String json) {
        return producer.send(endpoint, exchange -> {
            exchange.getMessage().setBody(json);
            exchange.getMessage().setHeader(SinkHeaders.CASE_ID, caseId);
            exchange.getMessage().setHeader(SinkHeaders.REVISION, revision);
            exchange.getMessage().setHeader(SinkHeaders.IDEMPOTENCY_KEY, caseId + ":" + revision);
            exchange.getMessage().setHeader(SinkHeaders.SINK, sink);
            exchange.getMessage().setHeader(SinkHeaders.OUTCOME, "positive");
            exchange.getMessage().setHeader(SinkHeaders.CASE_TYPE, "Orders");
            exchange.getMessage().setHeader(SinkHeaders.CASE_TYPE_ID, "type-orders");
            exchange.getMessage().setHeader(SinkHeaders.ATTEMPT, 1);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
            exchange.getMessage().setHeader(SinkHeaders.ERASURE, false);
        });
    }

    /** Sends the notice that the case was erased, as revision {@code revision}. */
    public static Exchange sendErasure(ProducerTemplate producer, String endpoint, String sink, String caseId, int revision) {
        return producer.send(endpoint, exchange -> {
            exchange.getMessage().setBody("{\"type\":\"case.erased\",\"caseId\":\"%s\",\"erasedAt\":\"2026-11-23T10:00:00Z\"}".formatted(caseId));
            exchange.getMessage().setHeader(SinkHeaders.CASE_ID, caseId);
            exchange.getMessage().setHeader(SinkHeaders.REVISION, revision);
            exchange.getMessage().setHeader(SinkHeaders.IDEMPOTENCY_KEY, caseId + ":" + revision);
            exchange.getMessage().setHeader(SinkHeaders.SINK, sink);
            exchange.getMessage().setHeader(SinkHeaders.ATTEMPT, 1);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
            exchange.getMessage().setHeader(SinkHeaders.ERASURE, true);
        });
    }
}
