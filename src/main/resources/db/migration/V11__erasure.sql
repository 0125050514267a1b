-- Cases erased on request (GDPR art. 17): the id alone, no personal data, so that events of the case
-- still on their way are not stored again after the erasure.
CREATE TABLE erased_case (
    case_id   VARCHAR(200) NOT NULL PRIMARY KEY,
    erased_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- A delivery that tells a sink a case was erased (so it removes its copy), rather than a record revision.
ALTER TABLE sink_delivery ADD COLUMN erasure BOOLEAN DEFAULT FALSE NOT NULL;
