package dev.vepconnector.monitoring;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vepconnector.ingest.BrokerTopology;
import dev.vepconnector.storage.DataDisk;
import dev.vepconnector.storage.DataDiskState;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/status}: the broker connection and the data folder's disk, as the {@code vepBroker} and
 * {@code dataDisk} health components report them, for the dashboard's viewers: the actuator may be on a port
 * of its own (the {@code production} profile), and its details name hosts, users and paths a viewer need not see.
 */
@RestController
class ConnectorStatusController {

    private final BrokerTopology broker;
    private final DataDisk dataDisk;

    ConnectorStatusController(BrokerTopology broker, DataDisk dataDisk) {
        this.broker = broker;
        this.dataDisk = dataDisk;
    }

    /**
     * @param broker   the connector's hold on VEP's broker
     * @param dataDisk the free space where the connector keeps its state
     */
    record ConnectorStatus(Broker broker, Disk dataDisk) {
    }

    /**
     * @param connected true while the queue is bound and consumed
     * @param state     {@code BOUND}, {@code BROKER_UNREACHABLE}, {@code LOGIN_REFUSED}, ... (the {@code vepBroker} health's)
     * @param since     since when it is in that state
     * @param problem   what is wrong and what to do about it, while not connected
     * @param attempts  attempts to bind since the problem began
     * @param paused    why a connected queue is not consumed (the data disk is low)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Broker(boolean connected, String state, String since, String problem, Long attempts, String paused) {
    }

    /**
     * @param state     {@code OK}, {@code WARNING} (below {@code vep.storage.free-space-warning}) or {@code STOPPED}
     *                  (below {@code vep.storage.free-space-minimum}: no messages are taken)
     * @param low       true unless OK
     * @param since     since when it is in that state
     * @param freeBytes free space usable by the connector (absent before the first reading)
     * @param free      the same, for people ("12.3 GB")
     * @param problem   what to do about it, when low or unreadable
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Disk(String state, boolean low, String since, Long freeBytes, String free, String problem) {
    }

    @GetMapping("/api/status")
    ConnectorStatus status() {
        Health brokerHealth = broker.health();
        Map<String, Object> b = brokerHealth.getDetails();
        DataDiskState disk = dataDisk.state();
        Map<String, Object> d = dataDisk.health().getDetails();
        return new ConnectorStatus(
                new Broker(Status.UP.equals(brokerHealth.getStatus()), text(b, "state"), text(b, "since"), text(b, "problem"),
                        number(b, "attempts"), text(b, "paused")),
                new Disk(disk.name(), disk != DataDiskState.OK, text(d, "since"), number(d, "freeBytes"), text(d, "free"),
                        text(d, "problem")));
    }

    private static Long number(Map<String, Object> details, String key) {
        return details.get(key) instanceof Number n ? n.longValue() : null;
    }

    private static String text(Map<String, Object> details, String key) {
        Object value = details.get(key);
        return value == null ? null : value.toString();
    }
}
