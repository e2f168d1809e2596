package dev.speckitty.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The schema-version bookkeeping both stores share: {@code schema_version} holds the number of
 * migrations applied; each missing one runs once, in order, with the version bump, inside the
 * caller's transaction (the caller decides how concurrent migrators are kept apart). Stateless.
 */
public final class SchemaMigrations {
    /** The version table; created by the caller before {@link #apply}. */
    public static final String CREATE_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)";

    private SchemaMigrations() {
    }

    /**
     * Applies the migrations {@code database} (named in the error) does not have yet; refuses a
     * schema newer than this code knows.
     */
    public static void apply(Statement s, List<List<String>> migrations, String database) throws SQLException {
        int current;
        try (ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
            current = rs.next() ? rs.getInt(1) : 0;
        }
        if (current > migrations.size()) {
            throw new IllegalStateException(database + " has schema version " + current
                    + " but this server knows up to " + migrations.size() + ". Run a newer spec-kitty-server on it");
        }
        if (current == migrations.size()) {
            return;
        }
        for (int v = current; v < migrations.size(); v++) {
            for (String sql : migrations.get(v)) {
                s.execute(sql);
            }
        }
        s.executeUpdate("DELETE FROM schema_version");
        s.executeUpdate("INSERT INTO schema_version(version) VALUES (" + migrations.size() + ")");
    }
}
