package dev.vepconnector.support;

import dev.vepconnector.support.ConnectorTestSupport.Setup;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Connector JVMs sharing one new PostgreSQL database and one queue, as replicas run in production. */
public final class Replicas implements AutoCloseable {

    private final Setup setup;
    private final Map<String, String> database;
    private final List<ConnectorProcess> processes = new ArrayList<>();

    private Replicas(Setup setup, Map<String, String> database) {
        this.setup = setup;
        this.database = database;
    }

    /** Replicas of this setup on a database of their own, created now. */
    public static Replicas onNewDatabase(Setup setup, String databasePrefix) {
        return new Replicas(setup, TestDatabase.createPostgres(databasePrefix + setup.queue().substring(5, 13)));
    }

    /** Starts the next replica with these settings beside the setup's and the database's; it logs to {@link #log}. */
    public ConnectorProcess start(String... extra) {
        List<String> arguments = new ArrayList<>(List.of(extra));
        database.forEach((key, value) -> arguments.add("--" + key + "=" + value));
        ConnectorProcess process = ConnectorProcess.start(log(processes.size()), setup.arguments(arguments.toArray(String[]::new)));
        processes.add(process);
        return process;
    }

    public ConnectorProcess get(int replica) {
        return processes.get(replica);
    }

    public List<ConnectorProcess> all() {
        return List.copyOf(processes);
    }

    public Path log(int replica) {
        return setup.dataDirectory().resolve("replica-" + replica + ".log");
    }

    /** The single number a query of the shared database answers. */
    public long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(database.get("spring.datasource.url"), database.get("spring.datasource.username"), "");
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() {
        processes.forEach(ConnectorProcess::close);
    }
}
