-- Retention (vep.retention.*). purge_due: the case has events the purge has not looked at since they
-- arrived (aggregation sets it, the purge clears it), so the purge's search passes over cases it is done
-- with. events_purged_at: the purge removed events of the case; its next record revision then starts
-- from its latest kept revision rather than from its remaining events alone.
ALTER TABLE case_state ADD COLUMN purge_due BOOLEAN DEFAULT TRUE NOT NULL;
ALTER TABLE case_state ADD COLUMN events_purged_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX ix_case_state_purge ON case_state (purge_due, updated_at);

-- The purge of group and configuration events looks them up by type and age. This replaces the index on
-- received_at alone, which no query used and which the purge could not use well either: walking it from
-- the oldest row, it would pass every case event still kept before reaching the group events due.
DROP INDEX ix_event_log_received;
CREATE INDEX ix_event_log_type_received ON event_log (routing_key, received_at);

-- Sinks' dead letters are purged by age.
CREATE INDEX ix_sink_delivery_finished ON sink_delivery (state, finished_at);
