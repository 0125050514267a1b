-- Cases the Salesforce sink delivered without linking them to a Contact although the visitor gave something
-- to find them by: several Contacts matched, or none did and the customer rules create none. An admin works
-- through them (GET /api/sinks/salesforce/unmatched); a later revision that links the case removes its row,
-- as does erasing the case. No personal data: Salesforce ids, the field that matched, when.
CREATE TABLE salesforce_unmatched_case (
    case_id            VARCHAR(200) NOT NULL PRIMARY KEY,
    revision           INTEGER NOT NULL,
    outcome            VARCHAR(16) NOT NULL,
    matched_by         VARCHAR(80),
    candidates         VARCHAR(2000),
    salesforce_case_id VARCHAR(18),
    noted_at           TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_salesforce_unmatched_noted ON salesforce_unmatched_case (noted_at);
