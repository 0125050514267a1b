package dev.vepconnector.ingest;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Takes every VEP event off the connector's queue. It is part of the connector, not of the route files
 * a team edits or replaces: without it nothing is consumed and VEP's messages expire on its broker.
 * The queue and its bindings are declared by the connector itself ({@link BrokerTopology}; autoDeclare
 * is off on purpose), which starts this route once they exist. Acknowledgement is manual:
 * {@link IngestWriter} acknowledges a message only after it is committed to the connector's database,
 * and the route has no step that waits, so it keeps up.
 */
@Component
class IngestRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("spring-rabbitmq:{{vep.exchange}}?queues={{vep.queue}}&autoDeclare=false&acknowledgeMode=MANUAL"
                + "&prefetchCount={{vep.ingest.prefetch}}&messageConverter=#rawBodyConverter")
                .routeId(BrokerTopology.INGEST_ROUTE_ID)
                .autoStartup(false)
                .bean("ingestWriter", "accept");
    }
}
