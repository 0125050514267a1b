-- ix_sink_delivery_case repeated the columns of uq_sink_delivery (sink, case_id, revision). Looking up
-- the pending revisions of a set of cases (sink = ? AND case_id IN (...)), H2 only used the leading
-- sink column of either and scanned every delivery the sink ever had, on every claim. With case_id
-- first, both databases look the cases up directly.
DROP INDEX ix_sink_delivery_case;
CREATE INDEX ix_sink_delivery_case ON sink_delivery (case_id, sink, revision);
