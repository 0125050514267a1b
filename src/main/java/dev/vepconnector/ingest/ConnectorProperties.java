package dev.vepconnector.ingest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the connector meets VEP's broker and keeps its state.
 *
 * @param exchange            the topic exchange VEP publishes its events to; the connector binds its queue there
 *                            but never declares it
 * @param integrationExchange the exchange the connector publishes commands to (configuration.agent.collect)
 * @param queue               the durable queue the connector creates and binds (the Partner System owns it)
 * @param queueType           classic or quorum (quorum replicates across a RabbitMQ cluster)
 * @param subscriptions       binding keys of the queue on the exchange
 * @param dataDirectory       where the embedded default database and other local state live
 * @param ingest              consumption tuning
 */
@Validated
@ConfigurationProperties("vep")
public record ConnectorProperties(
        @NotBlank @DefaultValue("vep.outgoing") String exchange,
        @NotBlank @DefaultValue("vep.integration") String integrationExchange,
        @NotBlank @DefaultValue("vep-connector.events") String queue,
        @NotNull @DefaultValue("classic") QueueType queueType,
        @NotEmpty @DefaultValue({"case.#", "group.#", "configuration.#"}) List<@NotBlank String> subscriptions,
        @NotNull @DefaultValue("./data") Path dataDirectory,
        @Valid @NotNull @DefaultValue Ingest ingest) {

    public enum QueueType { CLASSIC, QUORUM }

    /**
     * @param prefetch          unacknowledged messages the broker may push at once; also the most a crash can make it redeliver
     * @param batchSize         most messages committed in one database transaction
     * @param bindRetryInterval how often binding is retried while VEP's exchange or the broker is missing
     * @param storeRetryMax     longest pause between attempts to store a batch while the database is unavailable
     * @param commitInterval    shortest time between two inbox writes: messages arriving meanwhile wait (at most this
     *                          long) and are written together, so a steady trickle does not cost a database write each
     * @param processingShareDuringBacklog while more than a prefetch window of messages waits on the broker, the share of
     *                          time the inbox is processed (the rest goes to taking messages off the broker, where they
     *                          expire); 1 processes at full pace always
     */
    public record Ingest(
            @Min(1) @Max(10_000) @DefaultValue("500") int prefetch,
            @Min(1) @Max(10_000) @DefaultValue("500") int batchSize,
            @NotNull @DefaultValue("5s") Duration bindRetryInterval,
            @NotNull @DefaultValue("30s") Duration storeRetryMax,
            @NotNull @DefaultValue("5ms") Duration commitInterval,
            @DecimalMin("0.01") @DecimalMax("1.0") @DefaultValue("0.1") double processingShareDuringBacklog) {
    }
}
