package dev.vepconnector.simulator;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The VEP simulator (profile {@code simulator}): what it simulates and how fast.
 *
 * @param seed            the random seed; the same seed gives the same traffic
 * @param pacing          what drives the traffic: "rate" (events per second, cases a few events long: for
 *                        load tests) or "realistic" (visitors arriving, waiting for an agent and talking for
 *                        minutes, as in a contact center: for the demo)
 * @param rate            events per second; 0 publishes as fast as the broker takes them (pacing rate only)
 * @param cases           cases to simulate before stopping; 0 never stops
 * @param concurrentCases cases in progress at the same time (pacing rate only)
 * @param groups          groups (queues)
 * @param agents          agents, spread over the groups
 * @param timeScale       how much faster than real time a realistic contact center runs: 1 is real time, 60 plays a
 *                        minute in a second (waits, conversations and arrivals shrink alike; event times stay the
 *                        wall clock) (pacing realistic only)
 * @param load            how busy a realistic contact center is: 1 keeps its queues mostly answered within a
 *                        minute, with one queue over-loaded at times; 2 brings twice the visitors (pacing realistic only)
 * @param mix             the case mix
 */
@Validated
@ConfigurationProperties("vep.simulator")
public record SimulatorProperties(
        @DefaultValue("42") long seed,
        @NotNull @DefaultValue("rate") Pacing pacing,
        @DecimalMin("0") @DefaultValue("20") double rate,
        @Min(0) @DefaultValue("0") long cases,
        @Min(1) @Max(1_000_000) @DefaultValue("20") int concurrentCases,
        @Min(1) @Max(1000) @DefaultValue("4") int groups,
        @Min(1) @Max(100_000) @DefaultValue("12") int agents,
        @DecimalMin("0.1") @DecimalMax("3600") @DefaultValue("1") double timeScale,
        @DecimalMin("0.05") @DecimalMax("20") @DefaultValue("1") double load,
        @Valid @NotNull @DefaultValue Mix mix) {

    @ConstructorBinding
    public SimulatorProperties {
    }

    /** Rate-paced traffic, as the benchmarks drive it. */
    public SimulatorProperties(long seed, double rate, long cases, int concurrentCases, int groups, int agents, Mix mix) {
        this(seed, Pacing.RATE, rate, cases, concurrentCases, groups, agents, 1, 1, mix);
    }

    /** The time scale as a person reads it: "in real time", "60 times faster than real time". */
    public String speed() {
        return timeScale == 1 ? "in real time"
                : java.math.BigDecimal.valueOf(timeScale).stripTrailingZeros().toPlainString() + " times faster than real time";
    }

    /** What drives the simulated traffic. */
    public enum Pacing {
        /** {@code vep.simulator.rate} events per second, {@code concurrent-cases} cases in progress at once. */
        RATE,
        /** Visitors arrive, wait for a free agent and talk for minutes, {@code time-scale} times faster than real time. */
        REALISTIC
    }

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
