package dev.vepconnector.startup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vepconnector.startup.RouteFileFailureAnalyzer.Launch;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.NoSuchEndpointException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

class RouteFileFailureAnalyzerTest {

    private static final String ROUTES = "classpath:routes/*.yaml,file:/etc/vep-connector/routes/*.yaml";

    @Test
    void aMissingComponentIsNamedWithoutTheEndpointsSecrets() {
        FailureAnalysis analysis = analyze(new MockEnvironment(), Launch.LAUNCHER);
        assertThat(analysis.getDescription()).isEqualTo("Cannot start: route 'mqtt': no Camel component 'paho-mqtt5' for the endpoint "
                + "paho-mqtt5://cases?brokerUrl=tcp://mqtt.example:1883&password=xxxxxx");
    }

    @Test
    void withoutALoaderPathTheActionSaysHowToAddTheComponent() {
        assertThat(analyze(new MockEnvironment(), Launch.LAUNCHER).getAction())
                .startsWith("Put the jar of the Camel component 'paho-mqtt5' and those of its dependencies the connector's jar lacks in a folder"
                        + " and start with -Dloader.path=<folder> (or LOADER_PATH=<folder>); see docs/extensions.md.")
                .endsWith("Or correct the route file; the connector loads " + ROUTES + " (camel.main.routes-include-pattern).");
    }

    @Test
    void withALoaderPathTheActionNamesTheFolder() {
        assertThat(analyze(new MockEnvironment().withProperty("loader.path", "/app/extensions"), Launch.CLASS_PATH).getAction())
                .startsWith("No jar in loader.path /app/extensions has it: add the jar of the Camel component 'paho-mqtt5'");
    }

    @Test
    void anExtractedJarIsToldThatItDoesNotReadTheLoaderPath() {
        assertThat(analyze(new MockEnvironment().withProperty("loader.path", "extensions"), Launch.EXTRACTED_JAR).getAction())
                .contains("an extracted jar does not read loader.path", "LOADER_PATH=<folder> target/demo/vep-connector.sh",
                        "java -Dloader.path=<folder> -jar target/vep-connector.jar");
    }

    @Test
    void otherRouteProblemsKeepTheirAction() {
        FailureAnalysis analysis = new RouteFileFailureAnalyzer(environment(new MockEnvironment()), Launch.LAUNCHER)
                .analyze(new FailedToCreateRouteException("webhook", null, "route", new IllegalArgumentException("Unknown option: foo")));
        assertThat(analysis.getDescription()).isEqualTo("Cannot start: route 'webhook': Unknown option: foo");
        assertThat(analysis.getAction()).isEqualTo("Correct the route file; the connector loads " + ROUTES + " (camel.main.routes-include-pattern).");
    }

    private static FailureAnalysis analyze(MockEnvironment environment, Launch launch) {
        NoSuchEndpointException missing = new NoSuchEndpointException("paho-mqtt5://cases?brokerUrl=tcp://mqtt.example:1883&password=secret");
        return new RouteFileFailureAnalyzer(environment(environment), launch)
                .analyze(new IllegalStateException("Failed to start", new FailedToCreateRouteException("mqtt", null, "route", missing)));
    }

    private static MockEnvironment environment(MockEnvironment environment) {
        return environment.withProperty("camel.main.routes-include-pattern", ROUTES);
    }
}
