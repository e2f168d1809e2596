package dev.speckitty.cli.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lists events straight from {@code queue.db} for {@code events list} and {@code sync now -n -v},
 * read-only: a missing file is no events and is not created, the connection is {@code query_only},
 * and the daemon may write the file meanwhile (WAL). Each event says where it is: still queued,
 * parked after repeated rejection, or synced (in the inbox: pulled from the server, ours or a
 * teammate's). Owned by one command.
 */
public final class QueueFileEvents implements AutoCloseable {
    /** Where an event is. */
    public enum State {
        QUEUED("queued"), PARKED("parked"), SYNCED("synced");

        private final String label;

        State(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One listed event: its stored JSON, where it is, and its row (for {@code --follow}). */
    public record Row(String data, State state, long rowId) {
    }

    /** Which events to list; {@code since} is an instant SQLite's {@code julianday} reads (ISO-8601). */
    public record Query(Optional<String> aggregateId, Optional<String> eventType, Optional<String> since, int limit) {
    }

    private final Connection connection;
    private final Statement statement;
    /** The scope key whose pulled events are listed (the current team on the configured server). */
    private final String inboxScope;

    private QueueFileEvents(Connection connection, String inboxScope) throws SQLException {
        this.connection = connection;
        this.inboxScope = inboxScope;
        this.statement = connection.createStatement();
        statement.execute("PRAGMA busy_timeout = 5000");
        statement.execute("PRAGMA query_only = 1");
    }

    /** The reader of every scope's pulled events, or empty when there is no {@code queue.db} yet. */
    public static Optional<QueueFileEvents> open(Path queueDb) {
        return open(queueDb, null);
    }

    /**
     * The reader listing the pulled events of {@code inboxScope} only (a {@code Scope.key()}; null: of
     * every scope), or empty when there is no {@code queue.db} yet.
     */
    public static Optional<QueueFileEvents> open(Path queueDb, String inboxScope) {
        if (!Files.exists(queueDb)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new QueueFileEvents(org.sqlite.JDBC.createConnection("jdbc:sqlite:" + queueDb, new java.util.Properties()), inboxScope));
        } catch (SQLException e) {
            throw unreadable(queueDb.toString(), e);
        }
    }

    /** The newest events that match, newest first (Lamport order, then node), at most {@code q.limit()}. */
    public List<Row> newest(Query q) {
        String sql = "SELECT data, MIN(state), MAX(row_id) FROM (" + union() + ")" + where()
                + " GROUP BY event_id ORDER BY lamport DESC, node_id DESC, event_id DESC LIMIT ?4";
        return rows(sql, q, true);
    }

    /** How many events match, ignoring the limit (for "showing 100 of 2,345"). */
    public long count(Query q) {
        String sql = "SELECT COUNT(DISTINCT event_id) FROM (" + union() + ")" + where();
        try (PreparedStatement s = prepare(sql, q, false); ResultSet r = s.executeQuery()) {
            return r.next() ? r.getLong(1) : 0;
        } catch (SQLException e) {
            throw unreadable("queue.db", e);
        }
    }

    /** Events that arrived in a table after the rows already seen, oldest first ({@code --follow}). */
    public List<Row> after(long queueRow, long inboxRow, Query q) {
        String sql = "SELECT data, state, row_id FROM (" + union() + ")" + where()
                + " AND ((state = 0 AND row_id > " + queueRow + ") OR (state = 2 AND row_id > " + inboxRow + "))"
                + " ORDER BY state, row_id LIMIT 1000";
        return rows(sql, q, false);
    }

    /** The queued events in drain order, at most {@code limit} ({@code sync now -n -v}). */
    public List<Row> queued(int limit) {
        String sql = "SELECT data, 0, id FROM queue ORDER BY timestamp, id LIMIT " + Math.max(1, limit);
        try (PreparedStatement s = connection.prepareStatement(sql); ResultSet r = s.executeQuery()) {
            List<Row> rows = new ArrayList<>();
            while (r.next()) {
                rows.add(new Row(r.getString(1), State.QUEUED, r.getLong(3)));
            }
            return rows;
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("no such table")) {
                return List.of();
            }
            throw unreadable("queue.db", e);
        }
    }

    /** The highest row of the queue and of the inbox, where {@code --follow} starts. */
    public long[] lastRows() {
        return new long[] {max("queue"), max("inbox")};
    }

    private long max(String table) {
        if (!hasTable(table)) {
            return 0;
        }
        try (ResultSet r = statement.executeQuery("SELECT COALESCE(MAX(rowid), 0) FROM " + table)) {
            return r.next() ? r.getLong(1) : 0;
        } catch (SQLException e) {
            throw unreadable("queue.db", e);
        }
    }

    private String union() {
        String fields = "event_id, CAST(json_extract(data, '$.lamport_clock') AS INTEGER) AS lamport, json_extract(data, '$.node_id') AS node_id,"
                + " json_extract(data, '$.event_type') AS event_type, json_extract(data, '$.aggregate_id') AS aggregate_id,"
                + " json_extract(data, '$.timestamp') AS ts, data";
        List<String> parts = new ArrayList<>();
        if (hasTable("queue")) {
            parts.add("SELECT " + fields + ", 0 AS state, id AS row_id FROM queue WHERE json_valid(data)");
        }
        if (hasTable("parked")) {
            parts.add("SELECT " + fields + ", 1 AS state, id AS row_id FROM parked WHERE json_valid(data)");
        }
        if (hasTable("inbox")) {
            // Pulled events of the current scope only; a file from before scopes has only unscoped ones.
            String scoped = inboxScope == null ? "" : hasScopeColumn() ? " AND scope = ?5" : " AND ?5 = ''";
            parts.add("SELECT " + fields + ", 2 AS state, id AS row_id FROM inbox WHERE json_valid(data)" + scoped);
        }
        return parts.isEmpty() ? "SELECT NULL AS event_id, 0 AS lamport, NULL AS node_id, NULL AS event_type, NULL AS aggregate_id,"
                + " NULL AS ts, NULL AS data, 0 AS state, 0 AS row_id WHERE 0" : String.join(" UNION ALL ", parts);
    }

    private static String where() {
        return " WHERE (?1 IS NULL OR aggregate_id = ?1) AND (?2 IS NULL OR event_type = ?2)"
                + " AND (?3 IS NULL OR julianday(ts) >= julianday(?3))";
    }

    private List<Row> rows(String sql, Query q, boolean limited) {
        try (PreparedStatement s = prepare(sql, q, limited); ResultSet r = s.executeQuery()) {
            List<Row> rows = new ArrayList<>();
            while (r.next()) {
                rows.add(new Row(r.getString(1), State.values()[r.getInt(2)], r.getLong(3)));
            }
            return rows;
        } catch (SQLException e) {
            throw unreadable("queue.db", e);
        }
    }

    private PreparedStatement prepare(String sql, Query q, boolean limited) throws SQLException {
        PreparedStatement s = connection.prepareStatement(sql);
        s.setString(1, q.aggregateId().orElse(null));
        s.setString(2, q.eventType().orElse(null));
        s.setString(3, q.since().orElse(null));
        if (limited) {
            s.setInt(4, q.limit());
        }
        if (inboxScope != null && sql.contains("?5")) {
            s.setString(5, inboxScope);
        }
        return s;
    }

    private boolean hasScopeColumn() {
        try (ResultSet r = statement.executeQuery("SELECT 1 FROM pragma_table_info('inbox') WHERE name = 'scope'")) {
            return r.next();
        } catch (SQLException e) {
            throw unreadable("queue.db", e);
        }
    }

    private boolean hasTable(String name) {
        try (ResultSet r = statement.executeQuery("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '" + name + "'")) {
            return r.next();
        } catch (SQLException e) {
            throw unreadable("queue.db", e);
        }
    }

    private static IllegalStateException unreadable(String file, SQLException e) {
        return new IllegalStateException("cannot read the events in " + file + " (" + e.getMessage()
                + "); if the file is damaged, move it aside and run `spec-kitty daemon start`", e);
    }

    @Override
    public void close() {
        try {
            statement.close();
            connection.close();
        } catch (SQLException e) {
            // read-only: nothing to lose
        }
    }
}
