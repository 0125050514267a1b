package dev.vepconnector.simulator;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The VEP simulator (profile {@code simulator}): what it simulates and how fast.
 *
 * @param seed            the random seed; the same seed gives the same traffic
 * @param rate            events per second; 0 publishes as fast as the broker takes them
 * @param cases           cases to simulate before stopping; 0 never stops
 * @param concurrentCases cases in progress at the same time
 * @param groups          groups (queues)
 * @param agents          agents, spread over the groups
 * @param mix             the case mix
 */
@Validated
@ConfigurationProperties("vep.simulator")
public record SimulatorProperties(
        @DefaultValue("42") long seed,
        @DecimalMin("0") @DefaultValue("20") double rate,
        @Min(0) @DefaultValue("0") long cases,
        @Min(1) @Max(1_000_000) @DefaultValue("20") int concurrentCases,
        @Min(1) @Max(1000) @DefaultValue("4") int groups,
        @Min(1) @Max(100_000) @DefaultValue("12") int agents,
        @Valid @NotNull @DefaultValue Mix mix) {

    /**
     * @param transfer          share of conversations transferred to another group (at most twice per case)
     * @param unresolved        share of closes that are unresolved
     * @param reopen            share of unresolved cases opened again later
     * @param visitorProfile    share of cases with a visitor profile
     * @param transcriptFirst   share of closes whose transcript is published before case.closed
     * @param missingTranscript share of closes without a transcript
     * @param unknownProperty   share of events extended with a property the interface does not define (6.6)
     * @param unknownType       share of steps that also publish a message type the interface does not define
     */
    public record Mix(
            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0.25") double transfer,
            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0.15") double unresolved,
            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0.5") double reopen,
            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0.6") double visitorProfile,
            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0.1") double transcriptFirst,
            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0.02") double missingTranscript,
            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0.05") double unknownProperty,
            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0.01") double unknownType) {
    }
}
