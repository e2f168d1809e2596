package dev.speckitty.server.store.postgres;

import dev.speckitty.server.store.SqlDatabase;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.speckitty.server.ServerOptions;
import dev.speckitty.server.store.StorageException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A HikariCP pool on one PostgreSQL database, plus dedicated connections for LISTEN. The URL may carry
 * a password in its query, so only {@link #describe()} (query removed) ever reaches a message.
 */
final class PostgresDatabase implements SqlDatabase, AutoCloseable {
    private final String url;
    private final String described;
    private final HikariDataSource pool;

    private PostgresDatabase(String url, HikariDataSource pool) {
        this.url = url;
        this.described = ServerOptions.redact(url);
        this.pool = pool;
    }

    static PostgresDatabase open(String url, int poolSize) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        hikari.setPoolName("server-pg");
        hikari.setMaximumPoolSize(poolSize);
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(30_000);
        // Fail at start rather than on the first request when the database is unreachable.
        hikari.setInitializationFailTimeout(10_000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new StorageException("cannot connect to PostgreSQL at " + ServerOptions.redact(url) + ": " + rootMessage(e)
                    + ". Check that the server runs, the database exists and the user may log in, or fix --db", e);
        }
        PostgresDatabase db = new PostgresDatabase(url, pool);
        try {
            PostgresSchema.migrate(db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    @Override
    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** A connection outside the pool, held for LISTEN as long as it works. */
    Connection dedicatedConnection() throws SQLException {
        return DriverManager.getConnection(url);
    }

    String describe() {
        return described;
    }

    /** A StorageException that says which operation on which database failed. */
    @Override
    public StorageException failure(String operation, SQLException e) {
        return new StorageException("cannot " + operation + " in PostgreSQL " + described + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        pool.close();
    }
}
