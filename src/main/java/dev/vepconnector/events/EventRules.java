package dev.vepconnector.events;

import java.time.Instant;

/**
 * What an event must carry beyond its id to mean anything, and the value ranges the interface
 * implies. Everything else may be absent (content deduplication).
 */
final class EventRules {

    private EventRules() {
    }

    static String missingRequiredField(VepEvent event) {
        if (event instanceof CaseOpened e && e.agentId() == null) {
            return "agentId";
        }
        if (event instanceof CaseTransferredToGroup e && e.newGroupId() == null) {
            return "newGroupId";
        }
        if (event instanceof CaseVisitorProfile e && e.profile() == null) {
            return "profile";
        }
        if (event instanceof CaseTranscriptClosed e && e.transcript() == null) {
            return "transcript";
        }
        return null;
    }

    static String invalidValue(VepEvent event) {
        if (event instanceof GroupLoadChanged e) {
            return firstNegative("numberOfAvailableAgents", e.numberOfAvailableAgents(),
                    "numberOfVisitorsInQueue", e.numberOfVisitorsInQueue(),
                    "numberOfVisitorsInConversation", e.numberOfVisitorsInConversation());
        }
        if (event instanceof GroupPerformanceTimers e) {
            return firstNegative("averageWaitingTime", e.averageWaitingTime(), "longestWaitingTime", e.longestWaitingTime());
        }
        return null;
    }

    /** Pairs of (name, value); the message for the first negative value, or null. */
    private static String firstNegative(Object... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] instanceof Number n && n.longValue() < 0) {
                return "'" + namesAndValues[i] + "' must not be negative";
            }
        }
        return null;
    }

    static VepEvent withEventTime(VepEvent event, Instant time) {
        if (event instanceof CaseCreated e) {
            return new CaseCreated(time, e.caseId(), e.opportunityId(), e.solutionId(), e.caseTypeId());
        } else if (event instanceof CaseOpened e) {
            return new CaseOpened(time, e.caseId(), e.agentId(), e.groupId());
        } else if (event instanceof CaseClosed e) {
            return new CaseClosed(time, e.caseId(), e.outcome(), e.closure());
        } else if (event instanceof CaseTransferredToGroup e) {
            return new CaseTransferredToGroup(time, e.caseId(), e.previousAgentId(), e.previousGroupId(), e.newGroupId());
        } else if (event instanceof CaseVisitorProfile e) {
            return new CaseVisitorProfile(time, e.caseId(), e.profile());
        } else if (event instanceof CaseTranscriptClosed e) {
            return new CaseTranscriptClosed(time, e.caseId(), e.transcript());
        } else if (event instanceof GroupLoadChanged e) {
            return new GroupLoadChanged(time, e.groupId(), e.numberOfAvailableAgents(), e.numberOfVisitorsInQueue(), e.numberOfVisitorsInConversation());
        } else if (event instanceof GroupPerformanceTimers e) {
            return new GroupPerformanceTimers(time, e.groupId(), e.averageWaitingTime(), e.longestWaitingTime());
        } else if (event instanceof ConfigurationAgent e) {
            return new ConfigurationAgent(time, e.agentId(), e.agentEmail(), e.agentName(), e.agentDisplayName(), e.agentAssignedGroups(), e.agentExternalId());
        } else if (event instanceof ConfigurationGroup e) {
            return new ConfigurationGroup(time, e.groupId(), e.groupName(), e.groupExternalId());
        } else if (event instanceof ConfigurationOpportunity e) {
            return new ConfigurationOpportunity(time, e.opportunityId(), e.opportunityName(), e.opportunityExternalId());
        } else if (event instanceof ConfigurationSolution e) {
            return new ConfigurationSolution(time, e.solutionId(), e.solutionName(), e.solutionExternalId());
        } else if (event instanceof ConfigurationCaseType e) {
            return new ConfigurationCaseType(time, e.caseTypeId(), e.caseTypeName(), e.caseTypeExternalId());
        }
        throw new IllegalArgumentException("unknown event class " + event.getClass());
    }
}
