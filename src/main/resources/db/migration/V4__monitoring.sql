-- Live queue state per group (group.loadChanged, group.performanceTimers), shared by replicas.
-- Each attribute keeps the eventTime it came from, so an older event never overwrites a newer value.
CREATE SEQUENCE group_state_version;

CREATE TABLE group_state (
    group_id                    VARCHAR(200) NOT NULL PRIMARY KEY,
    available_agents            BIGINT,
    available_agents_at         TIMESTAMP WITH TIME ZONE,
    visitors_in_queue           BIGINT,
    visitors_in_queue_at        TIMESTAMP WITH TIME ZONE,
    visitors_in_conversation    BIGINT,
    visitors_in_conversation_at TIMESTAMP WITH TIME ZONE,
    average_waiting_time        BIGINT,
    average_waiting_time_at     TIMESTAMP WITH TIME ZONE,
    longest_waiting_time        BIGINT,
    longest_waiting_time_at     TIMESTAMP WITH TIME ZONE,
    events                      BIGINT NOT NULL,
    updated_at                  TIMESTAMP WITH TIME ZONE NOT NULL,
    version                     BIGINT NOT NULL
);
CREATE INDEX ix_group_state_version ON group_state (version);
