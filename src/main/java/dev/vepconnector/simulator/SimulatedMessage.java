package dev.vepconnector.simulator;

import java.nio.charset.StandardCharsets;

/** One message as VEP would publish it: a routing key and a JSON body. */
public record SimulatedMessage(String routingKey, byte[] body) {

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return routingKey + " " + text();
    }
}
