-- H2 only: as in V6, a large identity cache, so taking inbox ids does not write the whole store every 32 messages.
ALTER TABLE inbox ALTER COLUMN id SET CACHE 100000;

-- One row the connector changes so that a store write of its own always has something to write
-- (see StorageDurability.persistCommitted).
CREATE TABLE h2_store_mark (id INT PRIMARY KEY, writes BIGINT NOT NULL);
INSERT INTO h2_store_mark (id, writes) VALUES (1, 0);
