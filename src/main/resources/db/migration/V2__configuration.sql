-- The configuration caches (interface 7.3): one row per configured entity, the merge of every
-- configuration event seen for it. version grows with every change, so replicas sharing the
-- database can pick up what another replica wrote.
CREATE SEQUENCE configured_entity_version;

CREATE TABLE configured_entity (
    kind            VARCHAR(20)  NOT NULL,
    id              VARCHAR(200) NOT NULL,
    name            TEXT,
    display_name    TEXT,
    email           TEXT,
    assigned_groups TEXT,
    external_ids    TEXT,
    last_event_time TIMESTAMP WITH TIME ZONE,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    version         BIGINT NOT NULL,
    CONSTRAINT pk_configured_entity PRIMARY KEY (kind, id)
);
CREATE INDEX ix_configured_entity_version ON configured_entity (version);
