package dev.vepconnector.ingest;

import org.slf4j.event.Level;

/**
 * The connector's hold on VEP's broker, as the {@code vepBroker} health component reports it. A state
 * that someone must fix (a setting, a secret, a permission, a certificate, VEP's set-up) is logged as
 * an ERROR; an unreachable broker as a WARN, since outages of the broker or the network usually end
 * by themselves.
 */
enum BrokerState {
    STARTING(Level.INFO),
    BROKER_UNREACHABLE(Level.WARN),
    LOGIN_REFUSED(Level.ERROR),
    VHOST_NOT_ALLOWED(Level.ERROR),
    PERMISSION_REFUSED(Level.ERROR),
    TLS_FAILED(Level.ERROR),
    EXCHANGE_MISSING(Level.ERROR),
    QUEUE_CONFLICT(Level.ERROR),
    BOUND(Level.INFO);

    private final Level logLevel;

    BrokerState(Level logLevel) {
        this.logLevel = logLevel;
    }

    Level logLevel() {
        return logLevel;
    }
}
