package dev.vepconnector.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A stream of case lifecycles whose records are known in advance: ten cases in flight at a time, a
 * quarter transferred, a third with a visitor profile. {@link #check} says what is wrong with a record.
 */
public final class CaseStream {

    private CaseStream() {
    }

    public static String caseId(String prefix, int i) {
        return prefix + i;
    }

    static boolean transferred(int i) {
        return i % 4 == 0;
    }

    static boolean profiled(int i) {
        return i % 3 == 0;
    }

    public static int eventCount(int i) {
        return 4 + (transferred(i) ? 2 : 0) + (profiled(i) ? 1 : 0);
    }

    /** Routing key and body of every event of {@code cases} cases, interleaved ten at a time. */
    public static List<String[]> stream(String prefix, int cases) {
        List<List<String[]>> lifecycles = new ArrayList<>();
        for (int i = 0; i < cases; i++) {
            lifecycles.add(lifecycle(prefix, i));
        }
        List<String[]> stream = new ArrayList<>();
        for (int window = 0; window < cases; window += 10) {
            List<List<String[]>> inFlight = lifecycles.subList(window, Math.min(window + 10, cases));
            for (int step = 0; step < 7; step++) {
                for (List<String[]> lifecycle : inFlight) {
                    if (step < lifecycle.size()) {
                        stream.add(lifecycle.get(step));
                    }
                }
            }
        }
        return stream;
    }

    /** One case's events: created, a visitor profile for every third, opened, a transfer for every fourth, closed, transcript. */
    public static List<String[]> lifecycle(String prefix, int i) {
        String id = caseId(prefix, i);
        String t = "2026-11-23T10:%02d:%02d".formatted((i / 60) % 60, i % 60);
        List<String[]> events = new ArrayList<>();
        events.add(new String[] {"case.created", """
                {"eventTime": "%s.000Z", "caseId": "%s", "caseTypeId": "type-1"}""".formatted(t, id)});
        if (profiled(i)) {
            events.add(new String[] {"case.visitorProfile", """
                    {"eventTime": "%s.050Z", "caseId": "%s", "profile": {"orderNo": "A-%d"}}""".formatted(t, id, i)});
        }
        events.add(new String[] {"case.opened", """
                {"eventTime": "%s.100Z", "caseId": "%s", "agentId": "agent-a", "groupId": "group-1"}""".formatted(t, id)});
        if (transferred(i)) {
            events.add(new String[] {"case.transferred.toGroup", """
                    {"eventTime": "%s.200Z", "caseId": "%s", "previousAgentId": "agent-a", "previousGroupId": "group-1",
                     "newGroupId": "group-2"}""".formatted(t, id)});
            events.add(new String[] {"case.opened", """
                    {"eventTime": "%s.300Z", "caseId": "%s", "agentId": "agent-b", "groupId": "group-2"}""".formatted(t, id)});
        }
        events.add(new String[] {"case.closed", """
                {"eventTime": "%s.400Z", "caseId": "%s", "outcome": "positive", "closure": "Case %d"}""".formatted(t, id, i)});
        events.add(new String[] {"case.transcriptClosed", """
                {"eventTime": "%s.500Z", "caseId": "%s", "transcript": {"messages": [{"eventTime": "%s.150Z",
                 "speaker": {"visitorId": "v-%d"}, "messageType": "chat", "message": "Message of case %d"}]}}"""
                .formatted(t, id, t, i, i)});
        return events;
    }

    /**
     * What is wrong with case {@code i}'s latest record, or null.
     *
     * @param laterRevisionsAllowed whether events processed out of order (competing replicas) may have
     *                              produced more than one revision; the latest must be complete either way
     */
    public static String check(int i, JsonNode record, boolean laterRevisionsAllowed) {
        int assignments = transferred(i) ? 2 : 1;
        int revision = record.get("revision").asInt();
        if (laterRevisionsAllowed ? revision < 1 : revision != 1) {
            return "revision " + revision;
        }
        if (record.get("assignments").size() != assignments) {
            return record.get("assignments").size() + " assignments, expected " + assignments;
        }
        if (record.get("transfers").size() != (transferred(i) ? 1 : 0)) {
            return record.get("transfers").size() + " transfers";
        }
        if (record.get("events").size() != eventCount(i)) {
            return record.get("events").size() + " events, expected " + eventCount(i);
        }
        if (record.get("transcriptMissing").asBoolean() || !record.get("transcript").toString().contains("Message of case " + i + "\"")) {
            return "transcript missing or wrong";
        }
        if (!("Case " + i).equals(record.path("closure").asText())) {
            return "closure " + record.path("closure");
        }
        if (profiled(i) != record.has("visitorProfile")) {
            return "visitor profile " + record.path("visitorProfile");
        }
        return null;
    }
}
