package dev.speckitty.cli.local;

import dev.speckitty.engine.store.StatusQueries;
import dev.speckitty.protocol.control.InboxIssues;
import dev.speckitty.protocol.control.QueueStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads queue statistics straight from {@code queue.db} for {@code sync status} when the daemon is
 * down. Never writes: a missing file is an empty queue (not created), and the connection is
 * {@code query_only}. Only the Python-compatible {@code queue} table and, if present, the daemon's
 * {@code parked} and {@code inbox_issues} tables are read. Stateless.
 */
public final class QueueFileStats {
    private QueueFileStats() {
    }

    /** The queue and what the inbox recorded about events it could not take as they came. */
    public record Snapshot(QueueStats queue, InboxIssues inboxIssues) {
    }

    public static QueueStats read(Path queueDb, Clock clock) {
        return snapshot(queueDb, clock).queue();
    }

    public static Snapshot snapshot(Path queueDb, Clock clock) {
        if (!Files.exists(queueDb)) {
            return new Snapshot(new QueueStats(0, 0, Map.of(), 0), InboxIssues.NONE);
        }
        SqliteNativeCache.prepare();
        // The driver directly, not DriverManager: its first use loads every JDBC driver on the class
        // path through ServiceLoader (a scan of every jar, and PostgreSQL's driver initialised).
        try (Connection c = org.sqlite.JDBC.createConnection("jdbc:sqlite:" + queueDb, new java.util.Properties());
             Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 5000");
            s.execute("PRAGMA query_only = 1");
            InboxIssues inbox = StatusQueries.inboxIssues(c);
            if (!hasTable(s, "queue")) {
                return new Snapshot(new QueueStats(0, 0, Map.of(), parked(s)), inbox);
            }
            long depth;
            long oldest;
            try (ResultSet r = s.executeQuery("SELECT COUNT(*), MIN(timestamp) FROM queue")) {
                r.next();
                depth = r.getLong(1);
                oldest = r.getLong(2);
            }
            long age = depth == 0 ? 0 : Math.max(0, clock.instant().getEpochSecond() - oldest);
            Map<String, Long> retries = new LinkedHashMap<>();
            try (ResultSet r = s.executeQuery("SELECT CASE WHEN retry_count >= 3 THEN '3+' ELSE CAST(COALESCE(retry_count, 0) AS TEXT) END AS bucket,"
                    + " COUNT(*) FROM queue GROUP BY bucket ORDER BY bucket")) {
                while (r.next()) {
                    retries.put(r.getString(1), r.getLong(2));
                }
            }
            return new Snapshot(new QueueStats(depth, age, retries, parked(s), StatusQueries.lastParked(c)), inbox);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the queue in " + queueDb + " (" + e.getMessage()
                    + "); if the file is damaged, move it aside and run `spec-kitty daemon start`", e);
        }
    }

    /**
     * The queued events recorded for another team or server than {@code current} (none: every event of a
     * team waits), by team and server; nothing without a queue.db.
     */
    public static java.util.List<dev.speckitty.protocol.control.WaitingEvents> waiting(Path queueDb,
            java.util.Optional<dev.speckitty.engine.store.Scope> current) {
        if (!Files.exists(queueDb)) {
            return java.util.List.of();
        }
        SqliteNativeCache.prepare();
        try (Connection c = org.sqlite.JDBC.createConnection("jdbc:sqlite:" + queueDb, new java.util.Properties());
             Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 5000");
            s.execute("PRAGMA query_only = 1");
            return StatusQueries.waiting(c, current);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the queue in " + queueDb + " (" + e.getMessage()
                    + "); if the file is damaged, move it aside and run `spec-kitty daemon start`", e);
        }
    }

    private static long parked(Statement s) throws SQLException {
        if (!hasTable(s, "parked")) {
            return 0;
        }
        try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM parked")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static boolean hasTable(Statement s, String name) throws SQLException {
        try (ResultSet r = s.executeQuery("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '" + name + "'")) {
            return r.next();
        }
    }
}
