package dev.vepconnector.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A scripted set of cases for the supervisor figures, with event times relative to now: the last hour's
 * cases well inside the hour, one case three hours earlier. {@link #timeZone} puts "now" near noon, so
 * that "today" holds them all whenever the test runs. Groups: g-sales ("Sales", named by a
 * configuration.group event) and g-support (known only from case events).
 */
public final class SupervisorScript {

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final String prefix;

    public SupervisorScript(String prefix) {
        this.prefix = prefix;
    }

    /** A fixed offset at which it is about noon now. */
    public String timeZone() {
        int utcHour = now.atOffset(ZoneOffset.UTC).getHour();
        int hours = 12 - utcHour;
        return ZoneOffset.ofHours(hours > 12 ? hours - 24 : hours).getId().replace("Z", "+00:00");
    }

    /** The events, {routingKey, body}, in the order VEP sends them (the early case's case.created last). */
    public List<String[]> events() {
        Instant base = now.minus(Duration.ofMinutes(30));
        Instant early = now.minus(Duration.ofHours(3));
        List<String[]> events = new ArrayList<>();
        events.add(new String[] {"configuration.group", """
                {"eventTime": "%s", "groupId": "g-sales", "groupName": "Sales"}""".formatted(base)});
        // Sales answers within target (30 s), handles 5 min, positive.
        created(events, "1", base);
        opened(events, "1", base.plusSeconds(30), "g-sales");
        closed(events, "1", base.plusSeconds(330), "positive");
        // Sales answers after 90 s (outside), transfers to Support after 60 s; Support answers in 10 s, handles 5 min.
        created(events, "2", base);
        opened(events, "2", base.plusSeconds(90), "g-sales");
        events.add(new String[] {"case.transferred.toGroup", """
                {"eventTime": "%s", "caseId": "%s2", "previousAgentId": "a-sales", "previousGroupId": "g-sales", "newGroupId": "g-support"}"""
                .formatted(base.plusSeconds(150), prefix)});
        opened(events, "2", base.plusSeconds(160), "g-support");
        closed(events, "2", base.plusSeconds(460), "negative");
        // Support answers in 20 s, closes unresolved after 1 min; reopened later, closed neutral after 2 min.
        created(events, "3", base);
        opened(events, "3", base.plusSeconds(20), "g-support");
        closed(events, "3", base.plusSeconds(80), "unresolved");
        opened(events, "3", base.plusSeconds(600), "g-support");
        closed(events, "3", base.plusSeconds(720), "neutral");
        // Earlier today: Sales answers in 40 s, handles 1 min; its case.created arrives last.
        opened(events, "4", early.plusSeconds(40), "g-sales");
        closed(events, "4", early.plusSeconds(100), "positive");
        created(events, "4", early);
        return events;
    }

    public void publish(FakeVep vep, String exchange) throws IOException {
        for (String[] event : events()) {
            vep.publish(exchange, event[0], event[1]);
        }
    }

    /** Asserts the exact figures of both groups in an /api/groups list. */
    public static void assertFigures(JsonNode groups) {
        JsonNode sales = group(groups, "g-sales");
        assertWindow(sales.get("lastHour"), 2, 1, 0.5, 60_000L, 1, 180_000L, 0, 1, 1, 0, 0, 0);
        assertWindow(sales.get("today"), 3, 2, 2.0 / 3, 53_333L, 2, 140_000L, 0, 1, 2, 0, 0, 0);
        JsonNode support = group(groups, "g-support");
        assertWindow(support.get("lastHour"), 2, 2, 1.0, 15_000L, 3, 160_000L, 1, 0, 0, 1, 1, 1);
        assertWindow(support.get("today"), 2, 2, 1.0, 15_000L, 3, 160_000L, 1, 0, 0, 1, 1, 1);
    }

    public static JsonNode group(JsonNode groups, String id) {
        for (JsonNode group : groups) {
            if (id.equals(group.get("groupId").asText())) {
                return group;
            }
        }
        throw new AssertionError("no group " + id + " in " + groups);
    }

    private static void assertWindow(JsonNode w, long answered, long within, double serviceLevel, Long speed, long handled, Long handleTime,
                                     long in, long out, long positive, long negative, long neutral, long unresolved) {
        assertThat(w.get("answered").asLong()).as("answered").isEqualTo(answered);
        assertThat(w.get("answeredWithinTarget").asLong()).as("answeredWithinTarget").isEqualTo(within);
        assertThat(w.get("serviceLevel").asDouble()).as("serviceLevel").isEqualTo(serviceLevel);
        assertThat(w.get("averageSpeedOfAnswer").asLong()).as("averageSpeedOfAnswer").isEqualTo(speed);
        assertThat(w.get("handled").asLong()).as("handled").isEqualTo(handled);
        assertThat(w.get("averageHandleTime").asLong()).as("averageHandleTime").isEqualTo(handleTime);
        assertThat(w.get("transfersIn").asLong()).as("transfersIn").isEqualTo(in);
        assertThat(w.get("transfersOut").asLong()).as("transfersOut").isEqualTo(out);
        JsonNode o = w.get("outcomes");
        assertThat(List.of(o.get("positive").asLong(), o.get("negative").asLong(), o.get("neutral").asLong(), o.get("unresolved").asLong()))
                .as("outcomes").containsExactly(positive, negative, neutral, unresolved);
    }

    private void created(List<String[]> events, String n, Instant at) {
        events.add(new String[] {"case.created", """
                {"eventTime": "%s", "caseId": "%s%s", "opportunityId": "o-1", "solutionId": "s-1", "caseTypeId": "ct-1"}"""
                .formatted(at, prefix, n)});
    }

    private void opened(List<String[]> events, String n, Instant at, String group) {
        events.add(new String[] {"case.opened", """
                {"eventTime": "%s", "caseId": "%s%s", "agentId": "a-%s", "groupId": "%s"}""".formatted(at, prefix, n, group, group)});
    }

    private void closed(List<String[]> events, String n, Instant at, String outcome) {
        events.add(new String[] {"case.closed", """
                {"eventTime": "%s", "caseId": "%s%s", "outcome": "%s", "closure": "done"}""".formatted(at, prefix, n, outcome)});
    }
}
