package dev.speckitty.engine.store;

import dev.speckitty.protocol.control.InboxIssues;
import dev.speckitty.protocol.control.ParkedEvent;
import dev.speckitty.protocol.control.QueueStats;
import dev.speckitty.protocol.control.WaitingEvents;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of {@code sync status} read from {@code queue.db}: shared by the daemon's status
 * ({@link QueueStore}) and the CLI's offline {@code sync status} ({@link ReadOnlyQueue}). A file
 * without one of our side tables (written by an older version, or by the Python tool alone) has
 * nothing in it.
 * Stateless.
 */
public final class StatusQueries {
    private StatusQueries() {
    }

    /**
     * The queue's depth, the age of its oldest event at {@code now}, its events by retry count ({@code 0},
     * {@code 1}, {@code 2}, {@code 3+}: only the non-empty buckets), the parked count and the event parked
     * last. A file without the {@code queue} table has an empty queue, without {@code parked} none parked.
     */
    public static QueueStats queueStats(Connection c, Instant now) throws SQLException {
        long parked = hasTable(c, "parked") ? count(c, "SELECT COUNT(*) FROM parked") : 0;
        if (!hasTable(c, "queue")) {
            return new QueueStats(0, 0, Map.of(), parked);
        }
        long depth;
        long oldest;
        try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*), MIN(timestamp) FROM queue");
             ResultSet r = q.executeQuery()) {
            r.next();
            depth = r.getLong(1);
            oldest = r.getLong(2);
        }
        long age = depth == 0 ? 0 : Math.max(0, now.getEpochSecond() - oldest);
        Map<String, Long> retries = new LinkedHashMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT CASE WHEN retry_count >= 3 THEN '3+'"
                + " ELSE CAST(COALESCE(retry_count, 0) AS TEXT) END AS bucket, COUNT(*) FROM queue GROUP BY bucket ORDER BY bucket");
             ResultSet r = q.executeQuery()) {
            while (r.next()) {
                retries.put(r.getString(1), r.getLong(2));
            }
        }
        return new QueueStats(depth, age, retries, parked, lastParked(c));
    }

    /** What the inbox recorded about events it could not take as they came. */
    public static InboxIssues inboxIssues(Connection c) throws SQLException {
        if (!hasTable(c, "inbox_issues")) {
            return InboxIssues.NONE;
        }
        long notAdopted = count(c, InboxIssue.Kind.CLOCK_NOT_ADOPTED);
        long skipped = count(c, InboxIssue.Kind.SKIPPED);
        return new InboxIssues(notAdopted, notAdopted == 0 ? null : last(c, InboxIssue.Kind.CLOCK_NOT_ADOPTED),
                skipped, skipped == 0 ? null : last(c, InboxIssue.Kind.SKIPPED));
    }

    /** The event parked last, with its reason; null when none is. */
    public static ParkedEvent lastParked(Connection c) throws SQLException {
        if (!hasTable(c, "parked")) {
            return null;
        }
        // The aggregate id by SQLite's JSON functions: the CLI reads this with the daemon down, without Jackson's mapper.
        try (PreparedStatement q = c.prepareStatement("SELECT event_id, event_type,"
                + " CASE WHEN json_valid(data) AND json_type(data, '$.aggregate_id') = 'text' THEN json_extract(data, '$.aggregate_id') END,"
                + " COALESCE(retry_count, 0), reason, parked_at FROM parked ORDER BY parked_at DESC, id DESC LIMIT 1");
             ResultSet r = q.executeQuery()) {
            return r.next() ? new ParkedEvent(r.getString(1), r.getString(2), r.getString(3), r.getLong(4),
                    r.getString(5), Instant.ofEpochSecond(r.getLong(6)).toString()) : null;
        }
    }

    /**
     * The SQL condition (on a row of {@code queue}) for the events that may leave with a scope whose
     * team and server are the parameters {@code t} and {@code s}: recorded for that team (or before any
     * login, {@code local}), and for that server or none recorded. A row that is not JSON goes (the
     * server judges it).
     */
    /**
     * The SQL condition (on valid JSON in {@code queue.data}) for a queued event whose team is set at
     * upload to the login's: our {@code local} events recorded before any login, and 3.x envelopes
     * recorded unrouted (no team, an empty one, or a {@code drain_blocked_reason}). They belong to no
     * identity yet, so they go with the next login.
     */
    static final String ROUTED_AT_UPLOAD = "(json_extract(queue.data, '$.team_slug') IS 'local'"
            + " OR (json_type(queue.data, '$.schema_version') IS NOT NULL"
            + " AND (json_type(queue.data, '$.team_slug') IS NOT 'text' OR json_extract(queue.data, '$.team_slug') = ''"
            + " OR json_extract(queue.data, '$.drain_blocked_reason') IS NOT NULL)))";

    static String drainable(String t, String s) {
        return "(NOT json_valid(queue.data) OR " + ROUTED_AT_UPLOAD
                + " OR (json_extract(queue.data, '$.team_slug') IS " + t
                + " AND NOT EXISTS (SELECT 1 FROM queue_scope d WHERE d.event_id = queue.event_id AND d.server <> " + s + ")))";
    }

    /** The SQL condition for the queued events recorded for team {@code t} on server {@code s} ('' for none recorded). */
    static String recordedFor(String t, String s) {
        return "(json_valid(queue.data) AND json_extract(queue.data, '$.team_slug') IS " + t
                + " AND COALESCE((SELECT r.server FROM queue_scope r WHERE r.event_id = queue.event_id), '') IS " + s + ")";
    }

    /**
     * Queued events that may not leave with {@code current} (none: every event recorded for a team
     * waits), grouped by the team and server they were recorded for, the largest group first.
     */
    public static List<WaitingEvents> waiting(Connection c, Optional<Scope> current) throws SQLException {
        if (!hasTable(c, "queue")) {
            return List.of();
        }
        boolean scoped = hasTable(c, "queue_scope");
        String server = scoped ? "COALESCE((SELECT r.server FROM queue_scope r WHERE r.event_id = queue.event_id), '')" : "''";
        String sql = "SELECT json_extract(queue.data, '$.team_slug') AS t, " + server + " AS s, COUNT(*) AS n FROM queue"
                + " WHERE json_valid(queue.data) AND json_type(queue.data, '$.team_slug') = 'text'"
                + " AND NOT " + ROUTED_AT_UPLOAD
                + (current.isPresent() ? " AND NOT " + (scoped ? drainable("?1", "?2") : "(json_extract(queue.data, '$.team_slug') IS ?1)") : "")
                + " GROUP BY t, s ORDER BY n DESC, t, s";
        try (PreparedStatement q = c.prepareStatement(sql)) {
            if (current.isPresent()) {
                q.setString(1, current.get().team());
                if (scoped) {
                    q.setString(2, current.get().server());
                }
            }
            List<WaitingEvents> groups = new ArrayList<>();
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    groups.add(new WaitingEvents(r.getString(1), r.getString(2), r.getLong(3)));
                }
            }
            return groups;
        }
    }

    private static boolean hasTable(Connection c, String name) throws SQLException {
        try (PreparedStatement t = c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            t.setString(1, name);
            try (ResultSet r = t.executeQuery()) {
                return r.next();
            }
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql); ResultSet r = q.executeQuery()) {
            return r.next() ? r.getLong(1) : 0;
        }
    }

    private static long count(Connection c, InboxIssue.Kind kind) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM inbox_issues WHERE kind = ?")) {
            q.setString(1, kind.wire());
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        }
    }

    private static InboxIssues.Issue last(Connection c, InboxIssue.Kind kind) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(
                "SELECT event_id, cursor, lamport, reason, noted_at FROM inbox_issues WHERE kind = ? ORDER BY id DESC LIMIT 1")) {
            q.setString(1, kind.wire());
            try (ResultSet r = q.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                long lamport = r.getLong(3);
                Long clock = r.wasNull() ? null : lamport;
                return new InboxIssues.Issue(r.getString(1), r.getString(2), clock, r.getString(4),
                        Instant.ofEpochSecond(r.getLong(5)).toString());
            }
        }
    }
}
