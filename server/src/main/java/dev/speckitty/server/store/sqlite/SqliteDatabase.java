package dev.speckitty.server.store.sqlite;

import dev.speckitty.server.store.SqlDatabase;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.speckitty.server.store.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * A small connection pool on {@code <data>/server.db}: WAL, busy_timeout 10 s, and transactions that
 * take the write lock up front (BEGIN IMMEDIATE) so two writers queue instead of failing on a lock
 * upgrade. Other processes (e.g. {@code user add}) may open the same file at the same time.
 */
final class SqliteDatabase implements SqlDatabase, AutoCloseable {
    static final String FILE_NAME = "server.db";

    private final Path file;
    private final HikariDataSource pool;

    private SqliteDatabase(Path file, HikariDataSource pool) {
        this.file = file;
        this.pool = pool;
    }

    static SqliteDatabase open(Path dataDir, int poolSize) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StorageException("cannot create the data directory " + dataDir + ": " + e.getMessage()
                    + ". Check that the parent exists and is writable, or pass another --data", e);
        }
        Path file = dataDir.resolve(FILE_NAME);
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(10_000);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        // Nothing reads generated keys; with them on, sqlite-jdbc runs an extra query after every insert.
        config.setGetGeneratedKeys(false);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + file.toAbsolutePath());

        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(sqlite);
        hikari.setPoolName("server-db");
        hikari.setMaximumPoolSize(poolSize);
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(30_000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new StorageException("cannot open the server database " + file + ": " + e.getMessage()
                    + ". Check the file is a SQLite database and the directory is writable", e);
        }
        SqliteDatabase db = new SqliteDatabase(file, pool);
        try {
            SqliteSchema.migrate(db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    @Override
    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    Path file() {
        return file;
    }

    /** A StorageException that says which operation on which file failed. */
    @Override
    public StorageException failure(String operation, SQLException e) {
        return new StorageException("cannot " + operation + " in " + file + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        pool.close();
    }
}
