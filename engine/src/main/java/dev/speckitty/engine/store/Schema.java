package dev.speckitty.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The tables of {@code queue.db}. {@code queue} is the Python tool's table, byte for byte, so both
 * tools can share one file; everything the daemon needs beyond it lives in side tables keyed by
 * {@code event_id} instead of extra columns.
 */
final class Schema {
    /** Exactly the Python spec-kitty DDL (DESIGN.md); never add columns here. */
    static final String[] QUEUE = {
        "CREATE TABLE IF NOT EXISTS queue ("
                + " id INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT UNIQUE NOT NULL,"
                + " event_type TEXT NOT NULL, data TEXT NOT NULL, timestamp INTEGER NOT NULL,"
                + " retry_count INTEGER DEFAULT 0)",
        "CREATE INDEX IF NOT EXISTS idx_timestamp ON queue(timestamp)",
        "CREATE INDEX IF NOT EXISTS idx_retry ON queue(retry_count)",
    };

    /** queue_scope's columns and key, for a new file and for rebuilding an earlier version's table. */
    private static final String QUEUE_SCOPE_DEFINITION = "(event_id TEXT PRIMARY KEY, server TEXT NOT NULL) WITHOUT ROWID";

    static final String[] OURS = {
        // Pulled (or live) team events; cursor = the server position of the pull that brought them.
        // scope: Scope.key() of the (server, team) pulled from; '' for rows from before scopes (added by
        // ALTER TABLE to older files, see create()).
        "CREATE TABLE IF NOT EXISTS inbox ("
                + " id INTEGER PRIMARY KEY, event_id TEXT UNIQUE NOT NULL, lamport INTEGER NOT NULL,"
                + " node_id TEXT NOT NULL, data TEXT NOT NULL, cursor TEXT NOT NULL, received_at INTEGER NOT NULL,"
                + " scope TEXT NOT NULL DEFAULT '')",
        "CREATE INDEX IF NOT EXISTS idx_inbox_order ON inbox(lamport, node_id)",
        // Rows taken out of the drain after repeated rejection: the queue's columns plus why and when.
        "CREATE TABLE IF NOT EXISTS parked ("
                + " id INTEGER PRIMARY KEY, event_id TEXT UNIQUE NOT NULL, event_type TEXT NOT NULL,"
                + " data TEXT NOT NULL, timestamp INTEGER NOT NULL, retry_count INTEGER DEFAULT 0,"
                + " reason TEXT, parked_at INTEGER NOT NULL)",
        // The server's last reason for a queued row, kept aside so the queue table stays Python's.
        "CREATE TABLE IF NOT EXISTS rejections ("
                + " event_id TEXT PRIMARY KEY, reason TEXT NOT NULL, rejected_at INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        // The server a queued (or parked) event was recorded for; its team is the event's own team_slug.
        // No row: written by the Python tool or before scopes, and sent with whichever server is configured.
        // Without a rowid: the row lives in its key's B-tree alone, so an enqueue writes one page for it, not two.
        "CREATE TABLE IF NOT EXISTS queue_scope " + QUEUE_SCOPE_DEFINITION,
        // Pulled events not taken as they came (clock not adopted, or skipped), recorded in the
        // transaction that moved the cursor past them; one per kind and server position.
        "CREATE TABLE IF NOT EXISTS inbox_issues ("
                + " id INTEGER PRIMARY KEY, kind TEXT NOT NULL, event_id TEXT, cursor TEXT NOT NULL, lamport INTEGER,"
                + " reason TEXT NOT NULL, noted_at INTEGER NOT NULL, UNIQUE (kind, cursor))",
    };

    private Schema() {
    }

    static boolean hasColumn(Connection c, String table, String column) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (r.next()) {
                if (column.equals(r.getString("name"))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Whether {@code table} was created {@code WITHOUT ROWID} (its DDL, as SQLite keeps it, says so). */
    static boolean withoutRowid(Connection c, String table) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            q.setString(1, table);
            try (ResultSet r = q.executeQuery()) {
                return r.next() && r.getString(1).toUpperCase(Locale.ROOT).replaceAll("\\s+", " ").contains("WITHOUT ROWID");
            }
        }
    }

    static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String ddl : QUEUE) {
                s.execute(ddl);
            }
            for (String ddl : OURS) {
                s.execute(ddl);
            }
            if (!hasColumn(c, "inbox", "scope")) {
                s.execute("ALTER TABLE inbox ADD COLUMN scope TEXT NOT NULL DEFAULT ''");
            }
            s.execute("CREATE INDEX IF NOT EXISTS idx_inbox_scope ON inbox(scope, lamport, node_id)");
            // position: the event's own place in the team's server order (NULL for rows from before it was
            // kept). The saved cursor advances through the positions held here (docs/PROTOCOL.md, Cursors).
            if (!hasColumn(c, "inbox", "position")) {
                s.execute("ALTER TABLE inbox ADD COLUMN position INTEGER");
            }
            s.execute("CREATE INDEX IF NOT EXISTS idx_inbox_position ON inbox(scope, position)");
            if (!withoutRowid(c, "queue_scope")) { // made by an earlier version: rebuilt once, its rows kept
                s.execute("CREATE TABLE queue_scope_keyed " + QUEUE_SCOPE_DEFINITION);
                s.execute("INSERT INTO queue_scope_keyed (event_id, server) SELECT event_id, server FROM queue_scope");
                s.execute("DROP TABLE queue_scope");
                s.execute("ALTER TABLE queue_scope_keyed RENAME TO queue_scope");
            }
            // The Python tool deletes acknowledged rows without knowing about our side tables.
            forgetOrphans(s);
        }
    }

    /** Drops the rows of our side tables ({@code queue_scope}, {@code rejections}) whose event is gone. */
    static void forgetOrphans(Statement s) throws SQLException {
        s.execute("DELETE FROM queue_scope WHERE event_id NOT IN (SELECT event_id FROM queue)"
                + " AND event_id NOT IN (SELECT event_id FROM parked)");
        s.execute("DELETE FROM rejections WHERE event_id NOT IN (SELECT event_id FROM queue)");
    }
}
