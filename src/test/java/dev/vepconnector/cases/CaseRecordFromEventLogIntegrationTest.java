package dev.vepconnector.cases;

import org.junit.jupiter.api.BeforeAll;

/**
 * The same cases with the in-memory event cache off: every record is built from the events read back
 * from the event log, as after a restart or when another replica stored part of a case.
 */
class CaseRecordFromEventLogIntegrationTest extends CaseRecordIntegrationTest {

    @BeforeAll
    static void start() throws Exception {
        startWith("--vep.cases.event-cache-size=0");
    }
}
