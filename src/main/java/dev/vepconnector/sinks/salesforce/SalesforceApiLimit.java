package dev.vepconnector.sinks.salesforce;

import dev.vepconnector.sinks.RetryLaterException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Keeps the sink off the last part of the org's daily API allowance, so interactive users keep theirs.
 * Salesforce sends no Retry-After; every answer carries {@code Sforce-Limit-Info: api-usage=used/limit}
 * instead. Once {@code slow-down-at} of the limit is used, the sink waits {@code slow-down-pause}: the
 * deliveries due in that time are retried when it ends.
 */
@Component("salesforceApiLimit")
@ConditionalOnProperty(prefix = "vep.sinks.salesforce", name = "enabled", havingValue = "true")
public class SalesforceApiLimit {

    private static final Logger log = LoggerFactory.getLogger(SalesforceApiLimit.class);
    static final String LIMIT_INFO = "Sforce-Limit-Info";
    private static final Pattern API_USAGE = Pattern.compile("api-usage=(\\d+)/(\\d+)");

    private final SalesforceSinkProperties properties;
    private final Clock clock;
    private volatile Instant pausedUntil = Instant.EPOCH;

    SalesforceApiLimit(SalesforceSinkProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    /** The route's first step: while paused, the delivery is retried when the pause ends. */
    public void checkNotPaused() throws RetryLaterException {
        Duration paused = Duration.between(clock.instant(), pausedUntil);
        if (!paused.isNegative() && !paused.isZero()) {
            throw new RetryLaterException("paused near the org's daily API limit", paused);
        }
    }

    /** After every answer, failed ones included: the org's API usage so far today. */
    public void noteUsage(@Header(LIMIT_INFO) String limitInfo) {
        Matcher usage = limitInfo == null ? null : API_USAGE.matcher(limitInfo);
        if (usage == null || !usage.find()) {
            return;
        }
        long used = Long.parseLong(usage.group(1));
        long limit = Long.parseLong(usage.group(2));
        if (limit > 0 && (double) used / limit >= properties.slowDownAt()) {
            pausedUntil = clock.instant().plus(properties.slowDownPause());
            log.warn("Salesforce API usage {} of {} reached {}% of the limit: pausing the sink for {}", used, limit,
                    Math.round(properties.slowDownAt() * 100), properties.slowDownPause());
        }
    }
}
