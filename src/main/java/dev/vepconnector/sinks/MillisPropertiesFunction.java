package dev.vepconnector.sinks;

import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.spi.PropertiesFunction;
import org.springframework.boot.convert.DurationStyle;

/**
 * {@code {{millis:<property>}}} in a route: a duration setting ({@code 5s}, {@code 2m}, {@code 500ms}, as
 * every duration in the configuration is written) as the milliseconds many Camel endpoint options take,
 * e.g. camel-http's {@code connectTimeout}. Camel finds it by name under
 * {@code META-INF/services/org/apache/camel/properties-function/}.
 */
public class MillisPropertiesFunction implements PropertiesFunction, CamelContextAware {

    private CamelContext camelContext;

    @Override
    public String getName() {
        return "millis";
    }

    @Override
    public String apply(String property) {
        Optional<String> value = camelContext.getPropertiesComponent().resolveProperty(property);
        String duration = value.orElseThrow(() -> new IllegalArgumentException(
                "{{millis:" + property + "}}: the property " + property + " is not set"));
        return Long.toString(DurationStyle.detectAndParse(duration.trim()).toMillis());
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }
}
