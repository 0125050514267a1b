-- ix_sink_delivery_case repeated the index of uq_sink_delivery (same columns): one index less to
-- maintain on every queued and delivered revision.
DROP INDEX ix_sink_delivery_case;
