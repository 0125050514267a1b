package dev.vepconnector.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

class DatabaseFailureAnalyzerTest {

    private final DatabaseFailureAnalyzer analyzer = new DatabaseFailureAnalyzer(new MockEnvironment()
            .withProperty("spring.datasource.url", "jdbc:postgresql://db.example:5432/vep")
            .withProperty("vep.data-directory", "./data"));

    @Test
    void aRefusedConnectionSaysWhichDatabaseAndWhatToCheck() {
        FailureAnalysis analysis = analyzer.analyze(new IllegalStateException("Failed to initialize Flyway",
                new SQLException("Connection to db.example:5432 refused.", "08001")));
        assertThat(analysis.getDescription()).isEqualTo(
                "Cannot start: cannot connect to the database jdbc:postgresql://db.example:5432/vep: Connection to db.example:5432 refused.");
        assertThat(analysis.getAction()).contains("spring.datasource.url", "spring.datasource.password");
    }

    @Test
    void aRefusedLoginIsAConnectionProblemToo() {
        assertThat(analyzer.analyze(new SQLException("password authentication failed for user \"vep\"", "28P01"))
                .getDescription()).startsWith("Cannot start: cannot connect to the database");
    }

    @Test
    void anEmbeddedDatabaseAnotherProcessHoldsNamesTheDataDirectory() {
        FailureAnalysis analysis = analyzer.analyze(new SQLException("Database may be already in use", "90020", 90020));
        assertThat(analysis.getDescription()).contains("is in use by another process");
        assertThat(analysis.getAction()).contains("vep.data-directory (./data)");
    }

    @Test
    void otherDatabaseErrorsKeepSpringBootsReport() {
        assertThat(analyzer.analyze(new SQLException("Table \"X\" not found", "42S02"))).isNull();
    }
}
