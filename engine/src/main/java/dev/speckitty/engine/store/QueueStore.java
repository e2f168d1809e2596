package dev.speckitty.engine.store;

import dev.speckitty.protocol.control.WaitingEvents;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.control.InboxIssues;
import dev.speckitty.protocol.control.ParkedAction;
import dev.speckitty.protocol.control.ParkedEvent;
import dev.speckitty.protocol.control.QueueStats;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.event.EventLimits;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.local.SyncConfig;
import dev.speckitty.protocol.wire.Cursor;
import dev.speckitty.protocol.wire.EventResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntToLongFunction;

/**
 * The SQLite {@code queue.db}: the Python-compatible outbox ({@code queue}), the inbox of pulled
 * events, parked events and the saved cursor. Thread-safe: one connection behind a lock for the
 * sync path and a second one for counts and listings ({@link QueueDatabase#report}); other
 * processes (the Python tool, a second store) may use the file at the same time.
 */
public final class QueueStore implements Outbox, Inbox, AutoCloseable {
    /** Limits and time source of a store. */
    public record StoreOptions(long maxQueueSize, int parkAfterRejections, Clock clock) {
        public StoreOptions {
            if (maxQueueSize < 1) {
                throw new IllegalArgumentException("maxQueueSize: " + maxQueueSize + " (expected: >= 1)");
            }
            if (parkAfterRejections < 1) {
                throw new IllegalArgumentException("parkAfterRejections: " + parkAfterRejections + " (expected: >= 1)");
            }
            if (clock == null) {
                throw new IllegalArgumentException("clock: null (expected: a Clock)");
            }
        }

        /** The defaults of an empty {@code config.toml}, on the system clock. */
        public static StoreOptions defaults() {
            SyncConfig d = SyncConfig.defaults();
            return new StoreOptions(d.maxQueueSize(), d.parkAfterRejections(), Clock.systemUTC());
        }
    }

    /** Which events {@link #listEvents} answers; empty filters match everything. */
    public record EventQuery(Optional<String> aggregateId, Optional<String> eventType, int limit) {
        public EventQuery {
            aggregateId = aggregateId == null ? Optional.empty() : aggregateId;
            eventType = eventType == null ? Optional.empty() : eventType;
            if (limit < 1) {
                throw new IllegalArgumentException("limit: " + limit + " (expected: >= 1)");
            }
        }
    }

    private static final String INITIAL_CURSOR = "0";
    private static final String LAMPORT_OF_DATA =
            "CASE WHEN json_valid(data) THEN CAST(json_extract(data, '$.lamport_clock') AS INTEGER) END";

    /** The last {@link #waiting} answer, and the report connection's {@code data_version} it was read at; under the report lock. */
    private record Waiting(Optional<Scope> current, long version, List<WaitingEvents> groups) {
    }

    private Waiting waiting;
    private final QueueDatabase db;
    private final StoreOptions options;

    private QueueStore(QueueDatabase db, StoreOptions options) {
        this.db = db;
        this.options = options;
    }

    /** Opens (creating the file and tables if missing) the queue database at {@code queueDb}. */
    public static QueueStore open(Path queueDb, StoreOptions options) {
        try {
            Path parent = queueDb.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the directory of " + queueDb + " (" + e.getMessage()
                    + "); check that SPEC_KITTY_HOME is writable by this user", e);
        }
        QueueDatabase db;
        try {
            db = QueueDatabase.open(queueDb);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the queue " + queueDb + " (" + e.getMessage()
                    + "); if the file is damaged, move it aside and start again", e);
        }
        try {
            db.write(c -> {
                Schema.create(c);
                return null;
            });
        } catch (SQLException e) {
            db.close();
            throw new IllegalStateException("cannot prepare the tables of " + queueDb + " (" + e.getMessage()
                    + "); if the file is damaged or not a SQLite database, move it aside and start again", e);
        }
        return new QueueStore(db, options);
    }

    public StoreOptions options() {
        return options;
    }

    // ---------------------------------------------------------------- enqueue

    /**
     * Queues the events in ONE transaction, all or nothing. An event whose event_id is already queued
     * (or parked) is skipped, so re-sending a request is harmless. Answers the ids newly queued, in
     * input order.
     *
     * @throws QueueFullException when the new events would take the queue past {@code maxQueueSize}
     * @throws IllegalStateException when the disk is full or the file cannot be written; nothing queued
     */
    public List<String> enqueue(List<Event> events) {
        return enqueue(events, "");
    }

    /**
     * {@link #enqueue(List)}, recording {@code server} (a normalised URL; empty: none) as the server the
     * events were recorded for: with their team_slug, the scope they may leave with.
     */
    public List<String> enqueue(List<Event> events, String server) {
        if (events.isEmpty()) {
            return List.of();
        }
        return enqueueAll(List.of(Part.of(events)).iterator(), server, true).ids();
    }

    /** One request's part of {@link #enqueueGroup}: the ids it queued, or why it was refused (then it queued nothing). */
    public record GroupOutcome(List<String> queued, RuntimeException refused) {
    }

    /** What {@link #enqueueGroup} did: one outcome per request, in order, and the queue's depth once committed. */
    public record GroupResult(List<GroupOutcome> outcomes, long depth) {
    }

    /**
     * Queues several requests' events in ONE transaction (group commit), each request all or nothing on
     * its own: a request that would take the queue past {@code maxQueueSize} is rolled back to its
     * savepoint and refused with a {@link QueueFullException}, and the others are committed. Events
     * already queued or parked are skipped, as in {@link #enqueue(List, String)}.
     *
     * @throws IllegalStateException when the disk is full or the file cannot be written: then nothing of the group is queued
     */
    public GroupResult enqueueGroup(List<List<Event>> requests, String server) {
        long now = options.clock().instant().getEpochSecond();
        try {
            return db.write(c -> {
                long depth = db.depth(c);
                List<GroupOutcome> outcomes = new ArrayList<>(requests.size());
                Inserts inserts = new Inserts(db);
                // A request is rolled back to its savepoint only when the group could fill the queue.
                boolean mayFill = depth + requests.stream().mapToLong(List::size).sum() > options.maxQueueSize();
                try (Statement savepoints = c.createStatement()) {
                    for (List<Event> events : requests) {
                        if (mayFill) {
                            savepoints.execute("SAVEPOINT request");
                        }
                        List<String> queued = inserts.insert(events, server, now);
                        if (depth + queued.size() > options.maxQueueSize()) {
                            savepoints.execute("ROLLBACK TO request");
                            savepoints.execute("RELEASE request");
                            outcomes.add(new GroupOutcome(List.of(), new QueueFullException(depth, options.maxQueueSize(), queued.size())));
                            continue;
                        }
                        if (mayFill) {
                            savepoints.execute("RELEASE request");
                        }
                        depth += queued.size();
                        outcomes.add(new GroupOutcome(queued, null));
                    }
                }
                db.depthIs(depth);
                return new GroupResult(List.copyOf(outcomes), depth);
            });
        } catch (SQLException e) {
            throw enqueueFailure(e, requests.stream().mapToInt(List::size).sum());
        }
    }

    /** What {@link #enqueueAll} queued: how many, their ids in order when asked for (else empty), and the depth after. */
    public record Imported(long queued, List<String> ids, long depth) {
    }

    /** One part of an import: its events and the JSON of each, in order, written off the writing thread. */
    public record Part(List<Event> events, List<String> json) {
        public static Part of(List<Event> events) {
            return new Part(events, events.stream().map(Event::toJson).toList());
        }
    }

    /**
     * Queues parts of events in ONE transaction (an import's, or the one part of an
     * {@link #enqueue(List, String)}), skipping events already queued or parked and reading the parts
     * as it goes so that no more than one is held: all are queued, or none (a part that fails to
     * build, a full queue or a full disk rolls back every part). The ids queued are kept for the
     * answer only when {@code keepIds}.
     */
    public Imported enqueueAll(java.util.Iterator<Part> parts, String server, boolean keepIds) {
        long now = options.clock().instant().getEpochSecond();
        long[] events = new long[1];
        try {
            return db.write(c -> {
                long before = db.depth(c);
                long depth = before;
                Inserts inserts = new Inserts(db);
                List<String> ids = new ArrayList<>();
                while (parts.hasNext()) {
                    Part part = parts.next();
                    events[0] += part.events().size();
                    List<String> added = inserts.insert(part.events(), part.json(), server, now);
                    depth += added.size();
                    if (depth > options.maxQueueSize()) {
                        throw new QueueFullException(before, options.maxQueueSize(), (int) Math.min(Integer.MAX_VALUE, depth - before));
                    }
                    if (keepIds) {
                        ids.addAll(added);
                    }
                }
                db.depthIs(depth);
                return new Imported(depth - before, ids, depth);
            });
        } catch (SQLException e) {
            throw enqueueFailure(e, (int) Math.min(Integer.MAX_VALUE, events[0]));
        }
    }

    private IllegalStateException enqueueFailure(SQLException e, int events) {
        if (QueueDatabase.isDiskFull(e)) {
            return new DiskFullException("the disk holding " + db.file() + " is full: nothing was queued ("
                    + events + " event(s) refused); the events already queued are intact."
                    + " Free disk space and emit the events again", e);
        }
        return failure(e, "queue " + events + " event(s); nothing was queued");
    }

    /** The statements that queue events, kept prepared by the database (see {@link QueueDatabase#prepared}). */
    private static final class Inserts {
        private final PreparedStatement insert;
        private final PreparedStatement scope;

        Inserts(QueueDatabase db) throws SQLException {
            insert = db.prepared("INSERT OR IGNORE INTO queue (event_id, event_type, data, timestamp, retry_count)"
                    + " SELECT ?, ?, ?, ?, 0 WHERE NOT EXISTS (SELECT 1 FROM parked WHERE event_id = ?)");
            scope = db.prepared("INSERT OR REPLACE INTO queue_scope (event_id, server) VALUES (?, ?)");
        }

        /** Inserts {@code events} (skipping ids already queued or parked) and records their server; answers the ids queued, in order. */
        List<String> insert(List<Event> events, String server, long now) throws SQLException {
            return insert(events, null, server, now);
        }

        /** {@link #insert(List, String, long)}, with each event's JSON written already ({@code json}, in order; null: written here). */
        List<String> insert(List<Event> events, List<String> json, String server, long now) throws SQLException {
            insert.clearBatch(); // nothing left over from a batch that failed
            scope.clearBatch();
            for (int i = 0; i < events.size(); i++) {
                Event e = events.get(i);
                insert.setString(1, e.eventId());
                insert.setString(2, e.eventType());
                insert.setString(3, json == null ? e.toJson() : json.get(i));
                insert.setLong(4, now);
                insert.setString(5, e.eventId());
                insert.addBatch();
            }
            int[] counts = insert.executeBatch();
            List<String> queued = new ArrayList<>();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    queued.add(events.get(i).eventId());
                }
            }
            if (!server.isEmpty() && !queued.isEmpty()) {
                for (String id : queued) {
                    scope.setString(1, id);
                    scope.setString(2, server);
                    scope.addBatch();
                }
                scope.executeBatch();
            }
            return List.copyOf(queued);
        }
    }

    // ---------------------------------------------------------------- outbox

    @Override
    public List<QueuedEvent> nextBatch(DrainPosition after, int limit, Scope scope) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: >= 1)");
        }
        try {
            return db.read(c -> {
                // Two seeks of idx_timestamp (timestamp, rowid), each stopping after `limit` rows: the rest
                // of `after`'s second, then the seconds after it. One row-value condition `(timestamp, id) >
                // (?, ?)` made SQLite seek the timestamp alone and step over every row of that second
                // still queued before `after`. An import queues all its events in one second, so a push
                // over rows that stay (rejected ones, or those waiting for another login) went quadratic;
                // acknowledged rows leave as the push goes, so a plain drain did not. The aggregate id
                // and the `local` team come from SQLite's JSON functions (one parse per row, in C; a row
                // that is not valid JSON gets null and false): reading them in Java took a quarter of the
                // daemon's CPU in a drain.
                List<QueuedEvent> batch = new ArrayList<>(Math.min(limit, 1024));
                readBatch(c, "timestamp = ?1 AND id > ?2", "id", after, limit, scope, batch);
                if (batch.size() < limit) {
                    readBatch(c, "timestamp > ?1", "timestamp, id", after, limit - batch.size(), scope, batch);
                }
                return batch;
            });
        } catch (SQLException e) {
            throw failure(e, "read the next batch");
        }
    }

    /** Adds to {@code into} up to {@code limit} queued rows matching {@code range} (of {@code after}) and {@code scope}, in {@code order}. */
    private static void readBatch(Connection c, String range, String order, DrainPosition after, int limit, Scope scope,
                                  List<QueuedEvent> into) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(
                "SELECT id, event_id, event_type, data, timestamp, COALESCE(retry_count, 0),"
                        + " CASE WHEN json_valid(data) AND json_type(data, '$.aggregate_id') = 'text'"
                        + " THEN json_extract(data, '$.aggregate_id') END,"
                        // Routed at upload: our `local` events recorded before a login, and 3.x
                        // envelopes recorded unrouted (no team yet, or a drain_blocked_reason).
                        + " CASE WHEN json_valid(data) THEN " + StatusQueries.ROUTED_AT_UPLOAD + " ELSE 0 END,"
                        + " CASE WHEN json_valid(data) AND json_type(data, '$.lamport_clock') = 'integer'"
                        + " THEN json_extract(data, '$.lamport_clock') ELSE -1 END,"
                        + " CASE WHEN json_valid(data) AND json_type(data, '$.node_id') = 'text'"
                        + " THEN json_extract(data, '$.node_id') END"
                        + " FROM queue WHERE " + range
                        + (scope.equals(Scope.UNSCOPED) ? "" : " AND " + StatusQueries.drainable("?4", "?5"))
                        + " ORDER BY " + order + " LIMIT ?3")) {
            q.setLong(1, after.timestamp());
            q.setLong(2, after.id());
            q.setInt(3, limit);
            if (!scope.equals(Scope.UNSCOPED)) {
                q.setString(4, scope.team());
                q.setString(5, scope.server());
            }
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    into.add(new QueuedEvent(r.getLong(1), r.getString(2), r.getString(3), r.getString(4),
                            r.getLong(5), r.getInt(6), r.getString(7), r.getBoolean(8), r.getLong(9), r.getString(10)));
                }
            }
        }
    }

    @Override
    public BatchOutcome applyResults(List<QueuedEvent> batch, List<EventResult> results) {
        return applyResults(null, batch, null, results);
    }

    @Override
    public BatchOutcome applyResults(Scope scope, List<QueuedEvent> batch, List<String> sent, List<EventResult> results) {
        Map<String, EventResult> byId = new HashMap<>();
        for (EventResult r : results) {
            byId.put(r.eventId(), r);
        }
        long now = options.clock().instant().getEpochSecond();
        try {
            return db.write(c -> new ResultApplier(c, now, options.parkAfterRejections()).apply(batch, byId, scope, sent));
        } catch (SQLException e) {
            throw failure(e, "record the server's results for " + batch.size()
                    + " event(s); they stay queued and will be sent again (the server ignores duplicates)");
        }
    }

    @Override
    public BatchOutcome park(List<QueuedEvent> rows, List<String> reasons) {
        if (rows.size() != reasons.size()) {
            throw new IllegalArgumentException("reasons: " + reasons.size() + " (expected: one per row, " + rows.size() + ")");
        }
        if (rows.isEmpty()) {
            return new BatchOutcome(0, 0, 0, 0, List.of());
        }
        long now = options.clock().instant().getEpochSecond();
        try {
            return db.write(c -> new ResultApplier(c, now, options.parkAfterRejections()).parkNow(rows, reasons));
        } catch (SQLException e) {
            throw failure(e, "park " + rows.size() + " event(s) the server cannot take; they stay queued");
        }
    }

    @Override
    public long depth() {
        return readLong("SELECT COUNT(*) FROM queue", "count the queue");
    }

    @Override
    public long depth(Scope scope) {
        if (scope.equals(Scope.UNSCOPED)) {
            return depth();
        }
        try {
            return db.report(c -> {
                try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM queue WHERE " + StatusQueries.drainable("?1", "?2"))) {
                    q.setString(1, scope.team());
                    q.setString(2, scope.server());
                    try (ResultSet r = q.executeQuery()) {
                        r.next();
                        return r.getLong(1);
                    }
                }
            });
        } catch (SQLException e) {
            throw failure(e, "count the queue");
        }
    }

    /**
     * Queued events that may not leave with {@code current} (empty: no identity is logged in, so every
     * event recorded for a team waits), by the team and server they were recorded for, most first.
     */
    public List<WaitingEvents> waiting(Optional<Scope> current) {
        try {
            return db.report(c -> {
                // The count reads every queued row's JSON (1.2 s at 1,000,000 rows), so its answer is kept
                // while nothing has committed to the file since (data_version of this connection counts
                // the commits of every other, the store's own included): a status asked again and again
                // over a large queue that waits offline answers at once.
                long version = QueueDatabase.dataVersion(c);
                Waiting known = waiting;
                if (known != null && known.version() == version && known.current().equals(current)) {
                    return known.groups();
                }
                List<WaitingEvents> groups = StatusQueries.waiting(c, current);
                waiting = new Waiting(current, version, groups);
                return groups;
            });
        } catch (SQLException e) {
            throw failure(e, "count the events waiting for another team or server");
        }
    }

    /**
     * Gives the queued events recorded for {@code from} to {@code to} (their team_slug and recorded server
     * are rewritten; every other member stays), in ONE transaction; answers how many. For events a user
     * decides to send under the current login instead of waiting for the old one.
     */
    public int moveWaiting(Scope from, Scope to) {
        try {
            return db.write(c -> {
                List<Long> ids = new ArrayList<>();
                try (PreparedStatement q = c.prepareStatement("SELECT id FROM queue WHERE " + StatusQueries.recordedFor("?1", "?2"))) {
                    q.setString(1, from.team());
                    q.setString(2, from.server());
                    try (ResultSet r = q.executeQuery()) {
                        while (r.next()) {
                            ids.add(r.getLong(1));
                        }
                    }
                }
                try (PreparedStatement read = c.prepareStatement("SELECT event_id, data FROM queue WHERE id = ?");
                     PreparedStatement write = c.prepareStatement("UPDATE queue SET data = ? WHERE id = ?");
                     PreparedStatement scope = c.prepareStatement("INSERT OR REPLACE INTO queue_scope (event_id, server) VALUES (?, ?)")) {
                    for (long id : ids) {
                        read.setLong(1, id);
                        String eventId;
                        String data;
                        try (ResultSet r = read.executeQuery()) {
                            r.next();
                            eventId = r.getString(1);
                            data = r.getString(2);
                        }
                        JsonNode tree = Json.tree(data);
                        ((ObjectNode) tree).put("team_slug", to.team());
                        write.setString(1, Json.write(tree));
                        write.setLong(2, id);
                        write.executeUpdate();
                        scope.setString(1, eventId);
                        scope.setString(2, to.server());
                        scope.executeUpdate();
                    }
                }
                return ids.size();
            });
        } catch (SQLException e) {
            throw failure(e, "move the events waiting for " + from.describe() + "; nothing was changed");
        }
    }

    /** Deletes the queued events recorded for {@code from} for good, in ONE transaction; answers how many. */
    public int discardWaiting(Scope from) {
        try {
            return db.write(c -> {
                try (PreparedStatement d = c.prepareStatement("DELETE FROM queue WHERE " + StatusQueries.recordedFor("?1", "?2"))) {
                    d.setString(1, from.team());
                    d.setString(2, from.server());
                    int n = d.executeUpdate();
                    try (Statement s = c.createStatement()) {
                        Schema.forgetOrphans(s);
                    }
                    return n;
                }
            });
        } catch (SQLException e) {
            throw failure(e, "discard the events waiting for " + from.describe() + "; nothing was changed");
        }
    }

    @Override
    public QueueStats stats(Instant now) {
        try {
            return db.report(c -> StatusQueries.queueStats(c, now));
        } catch (SQLException e) {
            throw failure(e, "read the queue statistics");
        }
    }

    /** Queued (not parked) events by event_type, sorted by type. */
    public Map<String, Long> countByType() {
        try {
            return db.report(c -> {
                Map<String, Long> byType = new LinkedHashMap<>();
                try (Statement s = c.createStatement();
                     ResultSet r = s.executeQuery("SELECT event_type, COUNT(*) FROM queue GROUP BY event_type ORDER BY event_type")) {
                    while (r.next()) {
                        byType.put(r.getString(1), r.getLong(2));
                    }
                }
                return byType;
            });
        } catch (SQLException e) {
            throw failure(e, "count the queue by event type");
        }
    }

    /**
     * The highest Lamport clock in the queue, parked events and inbox that the clock may hold, i.e.
     * below {@link EventLimits#MAX_LAMPORT_CLOCK} (for clock recovery and repair); 0 when there is none.
     * Values at or past the ceiling (a peer's, kept in the inbox without being adopted) are left out.
     */
    public long maxLamport() {
        String inRange = " < " + EventLimits.MAX_LAMPORT_CLOCK;
        return readLong("SELECT COALESCE(MAX(m), 0) FROM ("
                + " SELECT MAX(l) AS m FROM (SELECT " + LAMPORT_OF_DATA + " AS l FROM queue) WHERE l" + inRange
                + " UNION ALL SELECT MAX(l) FROM (SELECT " + LAMPORT_OF_DATA + " AS l FROM parked) WHERE l" + inRange
                + " UNION ALL SELECT MAX(lamport) FROM inbox WHERE lamport" + inRange + ")", "read the highest Lamport clock");
    }

    /** How many queued and parked events {@link #restampOutOfRange} moved. */
    public record Restamped(int queued, int unparked) {
        public int total() {
            return queued + unparked;
        }
    }

    /**
     * Gives every queued or parked event whose {@code lamport_clock} is past the ceiling (stamped by an
     * older version from a poisoned clock; the server refuses each of them for ever) a fresh value from
     * {@code reserve(n)} (the first of n consecutive values), in drain order, in ONE transaction. Parked
     * ones go back to the queue with no retries: the clock was why they were refused. Scans the queue:
     * call it only after the clock itself was found out of range.
     */
    public Restamped restampOutOfRange(IntToLongFunction reserve) {
        String past = LAMPORT_OF_DATA + " > " + EventLimits.MAX_LAMPORT_CLOCK;
        try {
            return db.write(c -> {
                List<Long> queued = ids(c, "SELECT id FROM queue WHERE " + past + " ORDER BY timestamp, id");
                List<Long> parked = ids(c, "SELECT id FROM parked WHERE " + past + " ORDER BY timestamp, id");
                int n = queued.size() + parked.size();
                if (n == 0) {
                    return new Restamped(0, 0);
                }
                long next = reserve.applyAsLong(n);
                for (long id : queued) {
                    restamp(c, "queue", id, next++);
                }
                try (PreparedStatement back = c.prepareStatement("INSERT OR IGNORE INTO queue (event_id, event_type, data, timestamp, retry_count)"
                        + " SELECT event_id, event_type, data, timestamp, 0 FROM parked WHERE id = ?");
                     PreparedStatement delete = c.prepareStatement("DELETE FROM parked WHERE id = ?")) {
                    for (long id : parked) {
                        restamp(c, "parked", id, next++);
                        back.setLong(1, id);
                        back.executeUpdate();
                        delete.setLong(1, id);
                        delete.executeUpdate();
                    }
                }
                return new Restamped(queued.size(), parked.size());
            });
        } catch (SQLException e) {
            throw failure(e, "re-stamp the events whose lamport_clock is past the ceiling; nothing was changed");
        }
    }

    private static List<Long> ids(Connection c, String sql) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                ids.add(r.getLong(1));
            }
        }
        return ids;
    }

    /** Writes {@code value} as the row's lamport_clock, leaving every other member as it was. */
    private static void restamp(Connection c, String table, long id, long value) throws SQLException {
        String data;
        try (PreparedStatement q = c.prepareStatement("SELECT data FROM " + table + " WHERE id = ?")) {
            q.setLong(1, id);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                data = r.getString(1);
            }
        }
        JsonNode tree = Json.tree(data);
        ((ObjectNode) tree).put("lamport_clock", value);
        try (PreparedStatement u = c.prepareStatement("UPDATE " + table + " SET data = ? WHERE id = ?")) {
            u.setString(1, Json.write(tree));
            u.setLong(2, id);
            u.executeUpdate();
        }
    }

    // ---------------------------------------------------------------- parked

    /** Parked events, oldest parked first, with the server's last reason. */
    public List<ParkedEvent> parked() {
        try {
            return db.report(c -> {
                List<ParkedEvent> parked = new ArrayList<>();
                try (Statement s = c.createStatement();
                     ResultSet r = s.executeQuery("SELECT event_id, event_type, data, COALESCE(retry_count, 0), reason, parked_at"
                             + " FROM parked ORDER BY parked_at, id")) {
                    while (r.next()) {
                        parked.add(new ParkedEvent(r.getString(1), r.getString(2), aggregateId(r.getString(3)), r.getLong(4),
                                r.getString(5), Instant.ofEpochSecond(r.getLong(6)).toString()));
                    }
                }
                return parked;
            });
        } catch (SQLException e) {
            throw failure(e, "list the parked events");
        }
    }

    /**
     * Puts parked events back at their old place in the queue with {@code retry_count} 0; answers how
     * many. The queue cap is not checked: these events were accepted once already.
     */
    public int retryParked(ParkedAction action) {
        String where = parkedSelection(action);
        try {
            return db.write(c -> {
                int moved = 0;
                for (String id : idsOrAll(action)) {
                    try (PreparedStatement copy = c.prepareStatement(
                            "INSERT OR IGNORE INTO queue (event_id, event_type, data, timestamp, retry_count)"
                                    + " SELECT event_id, event_type, data, timestamp, 0 FROM parked WHERE " + where
                                    + " ORDER BY id");
                         PreparedStatement delete = c.prepareStatement("DELETE FROM parked WHERE " + where)) {
                        bindSelection(copy, id);
                        copy.executeUpdate();
                        bindSelection(delete, id);
                        moved += delete.executeUpdate();
                    }
                }
                return moved;
            });
        } catch (SQLException e) {
            throw failure(e, "put parked events back in the queue; nothing was changed");
        }
    }

    /** Deletes parked events for good; answers how many. */
    public int discardParked(ParkedAction action) {
        String where = parkedSelection(action);
        try {
            return db.write(c -> {
                int deleted = 0;
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM parked WHERE " + where)) {
                    for (String id : idsOrAll(action)) {
                        bindSelection(delete, id);
                        deleted += delete.executeUpdate();
                    }
                }
                return deleted;
            });
        } catch (SQLException e) {
            throw failure(e, "discard parked events; nothing was changed");
        }
    }

    private static String parkedSelection(ParkedAction action) {
        if (!action.all() && action.eventIds().isEmpty()) {
            throw new IllegalArgumentException("the request names no parked events (expected: event_ids, or all: true)");
        }
        return action.all() ? "1 = 1" : "event_id = ?";
    }

    /** One null entry stands for "all": the statement then has no parameter. */
    private static List<String> idsOrAll(ParkedAction action) {
        return action.all() ? java.util.Collections.singletonList(null) : action.eventIds();
    }

    private static void bindSelection(PreparedStatement s, String id) throws SQLException {
        if (id != null) {
            s.setString(1, id);
        }
    }

    // ---------------------------------------------------------------- inbox

    @Override
    public int storeRows(Scope scope, List<InboxRow> rows, List<InboxIssue> issues, String cursor) {
        if (cursor == null) {
            throw new IllegalArgumentException("cursor: null (expected: the server position of this pull)");
        }
        long now = options.clock().instant().getEpochSecond();
        try {
            return db.write(c -> {
                int added = 0;
                if (!rows.isEmpty()) {
                    // A row already there for another scope (pulled before scopes, or the same server under
                    // another URL) moves to this one; one already in this scope is not new.
                    try (PreparedStatement insert = c.prepareStatement(INSERT_INBOX)) {
                        for (InboxRow row : rows) {
                            insert.setString(1, row.eventId());
                            insert.setLong(2, row.lamportClock());
                            insert.setString(3, row.nodeId());
                            insert.setString(4, row.json());
                            insert.setString(5, row.position() < 0 ? cursor : Cursor.of(row.position()));
                            insert.setLong(6, now);
                            insert.setString(7, scope.key());
                            if (row.position() < 0) {
                                insert.setNull(8, Types.INTEGER);
                            } else {
                                insert.setLong(8, row.position());
                            }
                            insert.addBatch();
                        }
                        for (int n : insert.executeBatch()) {
                            added += n > 0 ? 1 : 0;
                        }
                    }
                }
                if (!issues.isEmpty()) {
                    try (PreparedStatement note = c.prepareStatement("INSERT OR IGNORE INTO inbox_issues"
                            + " (kind, event_id, cursor, lamport, reason, noted_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                        for (InboxIssue issue : issues) {
                            note.setString(1, issue.kind().wire());
                            note.setString(2, issue.eventId());
                            note.setString(3, issue.cursor());
                            if (issue.lamportClock() == null) {
                                note.setNull(4, Types.INTEGER);
                            } else {
                                note.setLong(4, issue.lamportClock());
                            }
                            note.setString(5, issue.reason());
                            note.setLong(6, now);
                            note.addBatch();
                        }
                        note.executeBatch();
                    }
                }
                saveCursor(c, scope, advance(c, scope, Cursor.parse(cursor)));
                return added;
            });
        } catch (SQLException e) {
            throw failure(e, "store " + rows.size() + " pulled event(s); the cursor was not advanced, so they will be pulled again");
        }
    }

    /** What {@link #INSERT_INBOX} (and the result applier's insert) does with a row the inbox already holds. */
    static final String INBOX_CONFLICT = " ON CONFLICT(event_id) DO UPDATE SET scope = excluded.scope, cursor = excluded.cursor,"
            + " position = COALESCE(excluded.position, inbox.position)"
            + " WHERE inbox.scope <> excluded.scope OR (inbox.position IS NULL AND excluded.position IS NOT NULL)";

    /**
     * Inbox rows: one already there for another scope (pulled before scopes, or the same server under
     * another URL) moves to this one, and one without a position gets the one now known; one already
     * in this scope with its position is not new.
     */
    static final String INSERT_INBOX = "INSERT INTO inbox (event_id, lamport, node_id, data, cursor, received_at, scope, position)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)" + INBOX_CONFLICT;

    /**
     * The saved cursor of {@code scope} once the positions held from {@code from} on are counted: the
     * largest {@code c >= from} with every position in {@code from+1..c} in the scope's inbox. Reads
     * the held positions after {@code from} in order and stops at the first hole.
     */
    static long advance(Connection c, Scope scope, long from) throws SQLException {
        long at = from;
        try (PreparedStatement q = c.prepareStatement(
                "SELECT position FROM inbox WHERE scope = ? AND position > ? ORDER BY position")) {
            q.setString(1, scope.key());
            q.setLong(2, from);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    long p = r.getLong(1);
                    if (p > at + 1) {
                        break;
                    }
                    at = Math.max(at, p);
                }
            }
        }
        return at;
    }

    /** The saved cursor of {@code scope} as stored, {@code "0"} before its first pull. */
    static String savedCursor(Connection c, Scope scope) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT value FROM sync_state WHERE key = ?")) {
            s.setString(1, scope.cursorKey());
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : INITIAL_CURSOR;
            }
        }
    }

    static void saveCursor(Connection c, Scope scope, long cursor) throws SQLException {
        try (PreparedStatement save = c.prepareStatement(
                "INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
            save.setString(1, scope.cursorKey());
            save.setString(2, Cursor.of(cursor));
            save.executeUpdate();
        }
    }

    @Override
    public java.util.OptionalLong firstUnheld(Scope scope, long after, long through, long[] received) {
        if (through <= after) {
            return java.util.OptionalLong.empty();
        }
        try {
            return db.read(c -> {
                try (PreparedStatement q = c.prepareStatement(
                        "SELECT position FROM inbox WHERE scope = ? AND position > ? AND position <= ? ORDER BY position")) {
                    q.setString(1, scope.key());
                    q.setLong(2, after);
                    q.setLong(3, through);
                    int i = 0;
                    long expect = after + 1;
                    try (ResultSet r = q.executeQuery()) {
                        boolean more = r.next();
                        while (expect <= through) {
                            while (i < received.length && received[i] < expect) {
                                i++;
                            }
                            while (more && r.getLong(1) < expect) {
                                more = r.next();
                            }
                            boolean got = i < received.length && received[i] == expect;
                            boolean held = more && r.getLong(1) == expect;
                            if (!got && !held) {
                                return java.util.OptionalLong.of(expect);
                            }
                            expect++;
                        }
                    }
                    return java.util.OptionalLong.empty();
                }
            });
        } catch (SQLException e) {
            throw failure(e, "read the inbox's positions after " + after);
        }
    }

    @Override
    public String cursor(Scope scope) {
        try {
            return db.read(c -> savedCursor(c, scope));
        } catch (SQLException e) {
            throw failure(e, "read the saved cursor");
        }
    }

    @Override
    public long size() {
        return readLong("SELECT COUNT(*) FROM inbox", "count the inbox");
    }

    /** Events in the inbox of {@code scope}. */
    public long size(Scope scope) {
        try {
            return db.report(c -> {
                try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM inbox WHERE scope = ?")) {
                    q.setString(1, scope.key());
                    try (ResultSet r = q.executeQuery()) {
                        r.next();
                        return r.getLong(1);
                    }
                }
            });
        } catch (SQLException e) {
            throw failure(e, "count the inbox");
        }
    }

    @Override
    public InboxIssues issues() {
        try {
            return db.report(StatusQueries::inboxIssues);
        } catch (SQLException e) {
            throw failure(e, "read the inbox's issues");
        }
    }

    // ---------------------------------------------------------------- listing

    /**
     * Queued, parked and pulled events matching {@code q}, each once, in {@link Event#TOTAL_ORDER}
     * (the lowest first), at most {@code q.limit()}.
     */
    public List<Event> listEvents(EventQuery q) {
        return listEvents(q, Optional.empty());
    }

    /** {@link #listEvents(EventQuery)} with the inbox of {@code inboxScope} only (none when empty is given as a scope of nobody). */
    public List<Event> listEvents(EventQuery q, Optional<Scope> inboxScope) {
        String fromData = "event_id, " + LAMPORT_OF_DATA + " AS lamport, json_extract(data, '$.node_id') AS node_id,"
                + " event_type, json_extract(data, '$.aggregate_id') AS aggregate_id, data";
        String sql = "SELECT data FROM ("
                + " SELECT " + fromData + " FROM queue WHERE json_valid(data)"
                + " UNION ALL SELECT " + fromData + " FROM parked WHERE json_valid(data)"
                + " UNION ALL SELECT event_id, lamport, node_id, json_extract(data, '$.event_type'),"
                + " json_extract(data, '$.aggregate_id'), data FROM inbox WHERE json_valid(data) AND (?4 IS NULL OR scope = ?4))"
                + " WHERE (?1 IS NULL OR aggregate_id = ?1) AND (?2 IS NULL OR event_type = ?2)"
                // An event we pushed can also come back in a pull: list it once.
                + " GROUP BY event_id ORDER BY lamport, node_id, event_id LIMIT ?3";
        try {
            List<String> rows = db.report(c -> {
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    setOptional(s, 1, q.aggregateId());
                    setOptional(s, 2, q.eventType());
                    s.setInt(3, q.limit());
                    setOptional(s, 4, inboxScope.map(Scope::key));
                    List<String> data = new ArrayList<>();
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            data.add(r.getString(1));
                        }
                    }
                    return data;
                }
            });
            List<Event> events = new ArrayList<>(rows.size());
            for (String data : rows) {
                // Read leniently: listing must not fail because the Python tool stored an odd event.
                events.add(Json.read(data, Event.class));
            }
            events.sort(Event.TOTAL_ORDER);
            return events;
        } catch (SQLException e) {
            throw failure(e, "list events");
        }
    }

    private static void setOptional(PreparedStatement s, int index, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            s.setString(index, value.get());
        } else {
            s.setNull(index, Types.VARCHAR);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The aggregate_id inside an event's JSON, or null when the data cannot be read. */
    static String aggregateId(String data) {
        return Json.memberText(data, "aggregate_id");
    }

    private long readLong(String sql, String what) {
        try {
            return db.report(c -> count(c, sql));
        } catch (SQLException e) {
            throw failure(e, what);
        }
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private IllegalStateException failure(SQLException e, String what) {
        if (QueueDatabase.isDiskFull(e)) {
            return new DiskFullException("the disk holding " + db.file() + " is full: could not " + what
                    + ". Free disk space and try again", e);
        }
        return new IllegalStateException("cannot " + what + " in " + db.file() + " (" + e.getMessage()
                + "); see `spec-kitty daemon logs`", e);
    }

    @Override
    public void close() {
        db.close();
    }
}
