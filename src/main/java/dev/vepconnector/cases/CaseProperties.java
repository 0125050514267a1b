package dev.vepconnector.cases;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Case aggregation.
 *
 * @param transcriptWait how long a closed case waits for its transcript before its record goes out without it
 * @param sweepInterval  how often cases whose transcript wait is over are looked for
 */
@Validated
@ConfigurationProperties("vep.cases")
public record CaseProperties(
        @NotNull @DefaultValue("2m") Duration transcriptWait,
        @NotNull @DefaultValue("1s") Duration sweepInterval) {
}
