package dev.vepconnector.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The database under test: the embedded default (H2 in each test's data directory), or, with
 * {@code -Dvep.test.database=postgresql}, a fresh PostgreSQL database per test setup on
 * 127.0.0.1:5432 (dropped when the test JVM exits).
 */
public final class TestDatabase {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String USER = System.getProperty("vep.test.postgres.user", "postgres");
    private static final List<String> CREATED = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::dropCreated));
    }

    private TestDatabase() {
    }

    public static boolean isPostgres() {
        return "postgresql".equals(System.getProperty("vep.test.database"));
    }

    static synchronized void createIfPostgres(String name) {
        if (isPostgres()) {
            createPostgres(name);
        }
    }

    /** A fresh PostgreSQL database whatever the mode (for tests of what requires PostgreSQL); its Spring properties. */
    public static synchronized Map<String, String> createPostgres(String name) {
        try (Connection admin = DriverManager.getConnection(SERVER + "postgres", USER, "")) {
            admin.createStatement().execute("CREATE DATABASE " + name);
            CREATED.add(name);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL tests need a server on 127.0.0.1:5432 (trust auth for user " + USER + ")", e);
        }
        return Map.of("spring.datasource.url", SERVER + name, "spring.datasource.username", USER, "spring.datasource.password", "");
    }

    /** Spring properties pointing the connector at this setup's database (none: the embedded default). */
    static Map<String, String> properties(String name) {
        if (!isPostgres()) {
            return Map.of();
        }
        return Map.of("spring.datasource.url", SERVER + name, "spring.datasource.username", USER, "spring.datasource.password", "");
    }

    private static synchronized void dropCreated() {
        try (Connection admin = DriverManager.getConnection(SERVER + "postgres", USER, "")) {
            for (String name : CREATED) {
                admin.createStatement().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        } catch (SQLException e) {
            // leftover test databases are harmless
        }
    }
}
