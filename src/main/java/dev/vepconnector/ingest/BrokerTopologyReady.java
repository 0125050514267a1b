package dev.vepconnector.ingest;

/** The connector's queue is bound and consumed: answers to commands published now will not be missed. */
public record BrokerTopologyReady(String queue) {
}
