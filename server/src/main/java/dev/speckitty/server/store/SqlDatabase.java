package dev.speckitty.server.store;

import java.sql.Connection;
import java.sql.SQLException;

/** A pooled JDBC database (SQLite or PostgreSQL) as the shared SQL stores use it. Thread-safe. */
public interface SqlDatabase {
    /** A connection from the pool, in auto-commit mode; the caller closes it. */
    Connection connection() throws SQLException;

    /** The storage error for a failed {@code operation}, worded for the log and the caller, never with a password. */
    StorageException failure(String operation, SQLException e);

    /**
     * Runs {@code work} in one transaction on a pooled connection: committed if it returns, rolled back
     * if it throws; a database error becomes {@link #failure} of {@code operation}.
     */
    default <T> T inTransaction(String operation, Work<T> work) {
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failure(operation, e);
        }
    }

    /** The body of a transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }
}
