-- Supervisor figures (answered, service level, handle time, ...) from the case events.
-- case_figures: each case's steps that count (created, opened, transferred, closed), so that the case's
-- contribution to the figures can be worked out again whatever order its events arrive in.
CREATE TABLE case_figures (
    case_id    VARCHAR(200) NOT NULL PRIMARY KEY,
    steps      VARCHAR(100000) NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_case_figures_updated ON case_figures (updated_at);

-- Per group and minute of the events' eventTime: counts and sums that today's and the last hour's
-- figures add up. Shared by replicas; each ingest transaction adds its cases' changes.
CREATE TABLE group_figures (
    group_id               VARCHAR(200) NOT NULL,
    minute_start           TIMESTAMP WITH TIME ZONE NOT NULL,
    answered               BIGINT DEFAULT 0 NOT NULL,
    answered_within_target BIGINT DEFAULT 0 NOT NULL,
    speed_of_answer_ms     BIGINT DEFAULT 0 NOT NULL,
    handled                BIGINT DEFAULT 0 NOT NULL,
    assignments_ended      BIGINT DEFAULT 0 NOT NULL,
    handle_time_ms         BIGINT DEFAULT 0 NOT NULL,
    transfers_in           BIGINT DEFAULT 0 NOT NULL,
    transfers_out          BIGINT DEFAULT 0 NOT NULL,
    positive               BIGINT DEFAULT 0 NOT NULL,
    negative               BIGINT DEFAULT 0 NOT NULL,
    neutral                BIGINT DEFAULT 0 NOT NULL,
    unresolved             BIGINT DEFAULT 0 NOT NULL,
    PRIMARY KEY (group_id, minute_start)
);
CREATE INDEX ix_group_figures_minute ON group_figures (minute_start);

-- The last status (ok, warning, alert) each group's change was announced with, so that a change is
-- announced once: by the replica that records it, and not again after a restart.
CREATE TABLE group_status (
    group_id   VARCHAR(200) NOT NULL PRIMARY KEY,
    status     VARCHAR(16) NOT NULL,
    reasons    VARCHAR(4000),
    changed_at TIMESTAMP WITH TIME ZONE NOT NULL
);
