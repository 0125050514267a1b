package dev.vepconnector.sinks.salesforce;

import dev.vepconnector.startup.CannotStartException;
import jakarta.annotation.PostConstruct;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import org.apache.camel.language.jq.JqFunctions;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

/**
 * Reads and compiles the mapping ({@code vep.sinks.salesforce.mapping}) and the customer rules
 * ({@code customer-matching.rules}) at start, as camel-jq will, so that a missing file or an edit jq cannot
 * parse ends the start with the file and the line and column of the mistake (camel-jq's own error quotes
 * the whole program); the rules are also tried on a record, so that rules that cannot work end it too. Settings of the mapping's predecessor
 * ({@code vep.sinks.salesforce.case-object.*}) end the start too: ignored, they would let the Case get
 * fields other than the ones the operator configured.
 */
@Component
@ConditionalOnProperty(prefix = "vep.sinks.salesforce", name = "enabled", havingValue = "true")
class SalesforceMappingCheck {

    private static final String ACTION = "Correct the mapping, or point vep.sinks.salesforce.mapping at another one "
            + "(classpath:routes/salesforce-case.jq is the jar's).";

    private static final String RULES_ACTION = "Correct the rules, or point vep.sinks.salesforce.customer-matching.rules at another "
            + "file (classpath:routes/salesforce-customer.jq is the jar's), or switch matching off (customer-matching.enabled=false).";

    private static final ConfigurationPropertyName RETIRED = ConfigurationPropertyName.of("vep.sinks.salesforce.case-object");

    private final SalesforceSinkProperties properties;
    private final ResourceLoader resources;
    private final Environment environment;

    SalesforceMappingCheck(SalesforceSinkProperties properties, ResourceLoader resources, Environment environment) {
        this.properties = properties;
        this.resources = resources;
        this.environment = environment;
    }

    @PostConstruct
    void check() {
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source.containsDescendantOf(RETIRED) == ConfigurationPropertyState.PRESENT) {
                throw new CannotStartException("vep.sinks.salesforce.case-object.* is set (in " + where(source)
                        + "), but the Case's fields are no longer configured there: they are the jq mapping vep.sinks.salesforce.mapping",
                        "Write your fields into a copy of routes/salesforce-case.jq (docs/salesforce.md shows each former setting's jq), "
                                + "point vep.sinks.salesforce.mapping at it and remove the case-object settings.");
            }
        }
        compile(properties.mapping(), "The Salesforce mapping", ACTION);
        if (properties.customerMatching().enabled()) {
            checkCustomerRules(properties.customerMatching().rules());
        }
    }

    private JsonQuery compile(String location, String what, String action) {
        String program = read(location, what, action);
        try {
            return JsonQuery.compile(program, Versions.JQ_1_7);
        } catch (JsonQueryException e) {
            throw new CannotStartException(what + " " + location + " is no jq program: " + firstLine(deepest(e)), action);
        }
    }

    /**
     * The rules file on a record with an empty visitor profile: a rule without a Contact field's name, an
     * unknown normalise or whenNone would otherwise dead-letter every record.
     */
    private void checkCustomerRules(String location) {
        JsonQuery rules = compile(location, "The Salesforce customer rules", RULES_ACTION);
        Scope scope = Scope.newEmptyScope();
        BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_7, scope);
        JqFunctions.loadLocal(scope);
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        try {
            rules.apply(scope, json.createObjectNode().put("schemaVersion", 1).put("caseId", "start-check").put("revision", 1)
                    .set("visitorProfile", json.createObjectNode()), out::add);
            CustomerRules.from(out.isEmpty() ? null : out.get(0), properties.customerMatching().phoneCountryCode());
        } catch (JsonQueryException | IllegalArgumentException e) {
            throw new CannotStartException("The Salesforce customer rules " + location + " do not work: " + firstLine(deepest(e)), RULES_ACTION);
        }
    }

    private static Object where(ConfigurationPropertySource source) {
        return source.getUnderlyingSource() instanceof PropertySource<?> properties ? properties.getName() : source;
    }

    private String read(String location, String what, String action) {
        Resource mapping = resources.getResource(location);
        try {
            return mapping.getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CannotStartException(what + " " + location + " cannot be read: " + e.getMessage(), action);
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
