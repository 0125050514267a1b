package dev.vepconnector.sinks.salesforce;

import dev.vepconnector.startup.CannotStartException;
import jakarta.annotation.PostConstruct;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

/**
 * Reads and compiles the mapping ({@code vep.sinks.salesforce.mapping}) at start, as camel-jq will, so
 * that a missing file or an edit jq cannot parse ends the start with the file and the line and column
 * of the mistake (camel-jq's own error quotes the whole program).
 */
@Component
@ConditionalOnProperty(prefix = "vep.sinks.salesforce", name = "enabled", havingValue = "true")
class SalesforceMappingCheck {

    private static final String ACTION = "Correct the mapping, or point vep.sinks.salesforce.mapping at another one "
            + "(classpath:routes/salesforce-case.jq is the jar's).";

    private final SalesforceSinkProperties properties;
    private final ResourceLoader resources;

    SalesforceMappingCheck(SalesforceSinkProperties properties, ResourceLoader resources) {
        this.properties = properties;
        this.resources = resources;
    }

    @PostConstruct
    void check() {
        String program = read(properties.mapping());
        try {
            JsonQuery.compile(program, Versions.JQ_1_7);
        } catch (JsonQueryException e) {
            throw new CannotStartException("The Salesforce mapping " + properties.mapping() + " is no jq program: " + firstLine(deepest(e)),
                    ACTION);
        }
    }

    private String read(String location) {
        Resource mapping = resources.getResource(location);
        try {
            return mapping.getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CannotStartException("The Salesforce mapping " + location + " cannot be read: " + e.getMessage(), ACTION);
        }
    }

    /** The parser's own message says where ("Encountered ... at line 12, column 3"). */
    private static Throwable deepest(Throwable failure) {
        Throwable deepest = failure;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
        }
        return deepest;
    }

    private static String firstLine(Throwable failure) {
        return String.valueOf(failure.getMessage()).lines().findFirst().orElse(failure.getClass().getSimpleName()).strip();
    }
}
