-- Unique keys that new rows add at the end rather than anywhere. On the embedded database a write of its
-- file rewrites every index page a commit touched, whole: an index on a hash puts each new event on a page
-- of its own, a page write per event, and the purge then touches pages all over it.
--
-- Duplicates of an event are the same type and content, so the same eventTime too: unique by
-- (event_time, dedup_key) refuses exactly what unique by dedup_key did, and events arriving now land
-- on the last pages of the index, their purge on the pages of their time.
ALTER TABLE event_log DROP CONSTRAINT uq_event_log_dedup;
ALTER TABLE event_log ADD CONSTRAINT uq_event_log_dedup UNIQUE (event_time, dedup_key);

-- One index for the deliveries of a case rather than two with the same columns (V7): unique as before,
-- looked up by case as ix_sink_delivery_case was.
ALTER TABLE sink_delivery DROP CONSTRAINT uq_sink_delivery;
DROP INDEX ix_sink_delivery_case;
ALTER TABLE sink_delivery ADD CONSTRAINT uq_sink_delivery UNIQUE (case_id, sink, revision);

-- Deliveries a bulk job holds are found by their job (its results by case through uq_sink_delivery); by
-- (bulk_job_id, case_id) every live delivery, held by none, was an entry at a random place.
DROP INDEX ix_sink_delivery_bulk_job;
CREATE INDEX ix_sink_delivery_bulk_job ON sink_delivery (bulk_job_id);
