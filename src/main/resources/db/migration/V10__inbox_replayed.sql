-- A message put back in the inbox by a dead-letter replay (POST /api/dead-letters/.../replay) rather
-- than taken off the broker. It is processed exactly like one just received; only the consume latency
-- leaves it out, since its eventTime says when VEP sent it, not how fast the connector consumes.
ALTER TABLE inbox ADD COLUMN replayed BOOLEAN DEFAULT FALSE NOT NULL;
