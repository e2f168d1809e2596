package dev.speckitty.server.store;

import java.sql.Connection;
import java.sql.SQLException;

/** A pooled JDBC database (SQLite or PostgreSQL) as the shared SQL stores use it. Thread-safe. */
public interface SqlDatabase {
    /** A connection from the pool, in auto-commit mode; the caller closes it. */
    Connection connection() throws SQLException;

    /** The storage error for a failed {@code operation}, worded for the log and the caller, never with a password. */
    StorageException failure(String operation, SQLException e);
}
