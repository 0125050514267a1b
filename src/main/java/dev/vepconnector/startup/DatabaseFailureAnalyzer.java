package dev.vepconnector.startup;

import java.sql.SQLException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * A database the connector cannot connect to, or an embedded one another process holds, said in one
 * line with what to check. Other database errors (a failed migration, say) keep Spring Boot's report.
 */
class DatabaseFailureAnalyzer extends AbstractFailureAnalyzer<SQLException> {

    /** H2's error code for a database file another process has open. */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    private final Environment environment;

    DatabaseFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
        // Without its settings (;MODE=...): the address is what an operator compares with what they meant.
        String url = environment.getProperty("spring.datasource.url", "(spring.datasource.url is not set)").split(";")[0];
        if (cause.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
            return new FailureAnalysis("Cannot start: the embedded database " + url + " is in use by another process",
                    "Stop the other connector that uses vep.data-directory (" + environment.getProperty("vep.data-directory")
                            + "), or give this one a directory of its own.", cause);
        }
        String state = cause.getSQLState() == null ? "" : cause.getSQLState();
        if (state.startsWith("08") || state.startsWith("28") || state.equals("3D000")) {
            return new FailureAnalysis("Cannot start: cannot connect to the database " + url + ": " + cause.getMessage(),
                    "Check spring.datasource.url, spring.datasource.username and spring.datasource.password, and that the "
                            + "database server is running and reachable.", cause);
        }
        return null;
    }
}
