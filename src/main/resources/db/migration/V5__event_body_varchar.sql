-- Event bodies as character columns rather than large objects: the embedded database stores TEXT as a
-- CLOB, which made every insert a large-object write. The reader refuses events longer than this.
ALTER TABLE event_log ALTER COLUMN body SET DATA TYPE VARCHAR(1000000);
