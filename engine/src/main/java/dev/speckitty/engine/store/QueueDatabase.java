package dev.speckitty.engine.store;

import dev.speckitty.protocol.local.FilePermissions;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * One SQLite connection to {@code queue.db}, guarded by a lock: callers run reads and write
 * transactions through it from any thread (plus a second one for reports, {@link #report}). Writes start with {@code BEGIN IMMEDIATE} so two
 * processes never deadlock upgrading a read lock; a busy file is waited on for 30 s.
 */
final class QueueDatabase implements AutoCloseable {
    /** System property: {@code PRAGMA max_page_count} for every connection, so tests can fill the "disk". */
    static final String MAX_PAGE_COUNT_PROPERTY = "speckitty.queue.maxPageCount";
    static final int BUSY_TIMEOUT_MS = 30_000;

    /** Work against the connection; may throw SQLException, which the caller maps to a user-facing error. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final Path file;
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private final Connection reports;
    private final ReentrantLock reportsLock = new ReentrantLock();
    // Under lock: statements kept prepared for the connection's life (see prepared), and the queue's
    // row count as the last write left it (see depth).
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private long writes;
    private long depthWrite = -1;
    private long depth;
    private long depthVersion;
    private long leftDepth = -1;

    private QueueDatabase(Path file, Connection connection, Connection reports) {
        this.file = file;
        this.connection = connection;
        this.reports = reports;
    }

    static QueueDatabase open(Path file) throws SQLException {
        // SQLite creates files 0644 less the umask, and its -wal and -shm with the database's mode:
        // so the database is made 0600 before SQLite opens it, and the other two are checked after.
        try {
            FilePermissions.createPrivateFile(file);
            FilePermissions.tighten(file);
        } catch (IOException e) {
            throw new SQLException("cannot create " + file + " privately (" + e.getMessage() + ")", e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        // Nothing reads generated keys; with them on, sqlite-jdbc runs an extra query after every insert.
        config.setGetGeneratedKeys(false);
        Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            String maxPages = System.getProperty(MAX_PAGE_COUNT_PROPERTY);
            if (maxPages != null && !maxPages.isBlank()) {
                s.execute("PRAGMA max_page_count = " + Long.parseLong(maxPages.trim()));
            }
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        Connection reports;
        try {
            SQLiteConfig reader = new SQLiteConfig();
            reader.setBusyTimeout(BUSY_TIMEOUT_MS);
            reports = reader.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        try {
            for (Path companion : companions(file)) {
                FilePermissions.tighten(companion);
            }
        } catch (IOException e) {
            closeQuietly(reports);
            closeQuietly(c);
            throw new SQLException("cannot make the files of " + file + " private (" + e.getMessage() + ")", e);
        }
        return new QueueDatabase(file, c, reports);
    }

    /**
     * A read-only connection to {@code file} for a look from outside the store (the CLI's
     * {@code sync status} with the daemon down, {@link ReadOnlyQueue}): opened with SQLite's read-only
     * flag, so it never creates the file, never sets the journal mode or any other setting, and never
     * checkpoints or deletes the WAL on close; a busy file is waited on for {@code busyTimeoutMs}. In
     * WAL mode SQLite may still create the empty {@code -wal} and {@code -shm} files beside it (with
     * the database's mode) so that it can read while a writer works.
     */
    static Connection openReadOnly(Path file, int busyTimeoutMs) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(busyTimeoutMs);
        return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    /** The files SQLite keeps beside the database in WAL mode. */
    static List<Path> companions(Path file) {
        return List.of(file.resolveSibling(file.getFileName() + "-wal"), file.resolveSibling(file.getFileName() + "-shm"));
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // already failing
        }
    }

    Path file() {
        return file;
    }

    /** Runs {@code work} outside a transaction (single statements are atomic on their own). */
    <T> T read(Work<T> work) throws SQLException {
        return under(lock, connection, work);
    }

    /**
     * Runs read-only {@code work} on a second connection kept for reports (status counts, listings),
     * so a count over a large queue never holds up the drain or an enqueue: in WAL mode a reader
     * blocks no writer and sees the last committed state. Counting a 1,000,000-row queue for every
     * status request had halved a drain that was polled 20 times a second.
     */
    <T> T report(Work<T> work) throws SQLException {
        return under(reportsLock, reports, work);
    }

    private static <T> T under(ReentrantLock guard, Connection c, Work<T> work) throws SQLException {
        guard.lock();
        try {
            return work.run(c);
        } finally {
            guard.unlock();
        }
    }

    /**
     * A statement of {@code sql} on the main connection, prepared once and kept until close: for the
     * statements every enqueue runs, whose preparing cost as much as their work. Only for work run
     * through {@link #read} or {@link #write} (it holds the lock); never closed by the caller.
     */
    PreparedStatement prepared(String sql) throws SQLException {
        PreparedStatement s = statements.get(sql);
        if (s == null) {
            s = connection.prepareStatement(sql);
            statements.put(sql, s);
        }
        return s;
    }

    /**
     * The number of rows in {@code queue}, inside a {@link #write}: counted, unless the write before
     * this one left it with {@link #depthIs} and no other connection (another process) has committed
     * since, which SQLite's {@code data_version} tells. A count walks the whole queue; an enqueue that
     * ran one per group spent more on it than on its inserts once the queue held 100,000 rows.
     */
    long depth(Connection c) throws SQLException {
        long version = dataVersion();
        if (depthWrite != writes - 1 || version != depthVersion) {
            depth = QueueStore.count(c, "SELECT COUNT(*) FROM queue");
        }
        depthVersion = version;
        return depth;
    }

    /**
     * Tells the row count of {@code queue} this write leaves (read with {@link #depth}, plus what it
     * queued); the next write trusts it only if this one commits.
     */
    void depthIs(long rows) {
        leftDepth = rows;
    }

    private static final String DATA_VERSION = "PRAGMA data_version";

    /** SQLite's {@code data_version} of {@code c}: it changes when another connection (or process) commits. */
    static long dataVersion(Connection c) throws SQLException {
        return QueueStore.count(c, DATA_VERSION);
    }

    /** {@link #dataVersion(Connection)} of the main connection, through a statement prepared once: every enqueue asks. */
    private long dataVersion() throws SQLException {
        try (ResultSet r = prepared(DATA_VERSION).executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Runs {@code work} in one write transaction: committed if it returns, rolled back if it throws. */
    <T> T write(Work<T> work) throws SQLException {
        lock.lock();
        writes++;
        // Transactions are issued as SQL rather than through setAutoCommit: after SQLITE_FULL SQLite has
        // already rolled back on its own, and the driver's autocommit bookkeeping would then fail with
        // "no transaction is active" and hide the real error.
        // BEGIN, COMMIT and ROLLBACK are prepared once, as the statements of every enqueue are.
        try {
            prepared("BEGIN IMMEDIATE").execute();
            boolean committed = false;
            try {
                leftDepth = -1;
                T result = work.run(connection);
                prepared("COMMIT").execute();
                committed = true;
                if (leftDepth >= 0) {
                    depth = leftDepth;
                    depthWrite = writes;
                }
                return result;
            } finally {
                if (!committed) {
                    rollbackQuietly();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void rollbackQuietly() {
        try {
            prepared("ROLLBACK").execute();
        } catch (SQLException ignored) {
            // SQLite may have rolled back already (SQLITE_FULL, SQLITE_IOERR); the original failure is
            // the one worth reporting.
        }
    }

    /** True when SQLite gave up because the database (or the disk under it) is full. */
    static boolean isDiskFull(SQLException e) {
        if (e instanceof SQLiteException se && se.getResultCode() == SQLiteErrorCode.SQLITE_FULL) {
            return true;
        }
        return (e.getErrorCode() & 0xff) == SQLiteErrorCode.SQLITE_FULL.code;
    }

    @Override
    public void close() {
        closeUnder(reportsLock, reports);
        closeUnder(lock, connection);
    }

    private void closeUnder(ReentrantLock guard, Connection c) {
        guard.lock();
        try {
            if (c == connection) {
                for (PreparedStatement s : statements.values()) {
                    s.close();
                }
                statements.clear();
            }
            c.close();
        } catch (SQLException ignored) {
            // Closing releases the file either way; nothing left for the caller to do.
        } finally {
            guard.unlock();
        }
    }
}
