package dev.vepconnector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * The one settings file, application.yaml at the top of the checkout, as Spring Boot reads it when the
 * jar runs from the checkout: the jar's copy and the file itself. A profile's document in it wins over
 * the defaults in both, so the demo run from the checkout is the demo.
 */
class ApplicationYamlTest {

    @Test
    void runFromTheCheckoutTheDemoProfileKeepsItsSettings() {
        assertThat(Path.of("application.yaml")).as("tests run from the checkout").exists();
        try (ConfigurableApplicationContext context = settingsOnly("demo")) {
            Environment settings = context.getEnvironment();
            assertThat(settings.getProperty("spring.rabbitmq.port")).isEqualTo("5673");
            assertThat(settings.getProperty("vep.embedded-broker.enabled")).isEqualTo("true");
            assertThat(settings.getProperty("vep.cases.transcript-wait")).isEqualTo("30s");
            assertThat(settings.getActiveProfiles()).contains("demo", "simulator");
            assertThat(settings.getProperty("vep.simulator.pacing")).as("the demo plays a contact center in real time").isEqualTo("realistic");
            assertThat(settings.getProperty("vep.simulator.time-scale")).isEqualTo("1");
        }
    }

    @Test
    void withoutAProfileTheDefaultsHold() throws Exception {
        try (ConfigurableApplicationContext context = settingsOnly()) {
            Environment settings = context.getEnvironment();
            assertThat(settings.getProperty("spring.rabbitmq.port")).isEqualTo("5672");
            assertThat(settings.getProperty("vep.cases.transcript-wait")).isEqualTo("2m");
            assertThat(settings.getProperty("vep.sinks.file.enabled")).isEqualTo("true");
        }
        assertThat(Files.readString(Path.of("application.yaml")))
                .as("the jar's copy is this file").isEqualTo(new String(getClass().getResourceAsStream("/application.yaml").readAllBytes()));
    }

    /** A context with nothing in it but the configuration files, as the application reads them. */
    private static ConfigurableApplicationContext settingsOnly(String... profiles) {
        return new SpringApplicationBuilder(Object.class).web(WebApplicationType.NONE).profiles(profiles)
                .properties("spring.main.banner-mode=off", "logging.level.root=WARN").run();
    }
}
