-- H2 only (db/migration-{vendor}). H2 persists a sequence by writing the whole store each time its
-- cache of values runs out (by default every 32 values): with identity ids taken for every stored
-- event that was a full store write every 32 events. A large cache makes it rare; a crash only
-- skips the unused values. PostgreSQL needs no such change (its sequences are WAL-logged cheaply).
ALTER TABLE event_log ALTER COLUMN id SET CACHE 100000;
ALTER TABLE dead_letter ALTER COLUMN id SET CACHE 100000;
ALTER TABLE sink_delivery ALTER COLUMN id SET CACHE 100000;
ALTER SEQUENCE configured_entity_version CACHE 100000;
ALTER SEQUENCE group_state_version CACHE 100000;
