package dev.speckitty.server.store.postgres;

import dev.speckitty.protocol.wire.EventResult;
import dev.speckitty.server.store.AcceptedEvent;
import dev.speckitty.server.store.EventStore;
import dev.speckitty.server.store.IngestCheck;
import dev.speckitty.server.store.ReceivedEvent;
import dev.speckitty.server.store.SequencedEvent;
import dev.speckitty.server.store.StoredPage;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link EventStore} on PostgreSQL, safe with several server instances on one database. The ingest
 * transaction first locks the team's {@code team_seq} row; the next writer of the team waits for that
 * lock until the transaction commits, so sequence numbers become visible in commit order and a pull
 * never passes over an event that commits late. The NOTIFY is sent inside the transaction, so
 * PostgreSQL delivers it only on commit. Within one instance a striped lock queues a team's writers
 * before they take a pooled connection, and keeps local fan-out calls in cursor order.
 */
final class PostgresEventStore implements EventStore {
    static final String CHANNEL = "spec_kitty_events";
    private static final int STRIPES = 64;

    private final PostgresDatabase db;
    private final Clock clock;
    private final PostgresFanout fanout;
    private final ReentrantLock[] teamOrder = new ReentrantLock[STRIPES];

    PostgresEventStore(PostgresDatabase db, Clock clock, PostgresFanout fanout) {
        this.db = db;
        this.clock = clock;
        this.fanout = fanout;
        for (int i = 0; i < STRIPES; i++) {
            teamOrder[i] = new ReentrantLock(true);
        }
    }

    @Override
    public List<EventResult> ingestReceived(String team, List<ReceivedEvent> rawEvents) {
        List<IngestCheck.Verdict> checked = new ArrayList<>(rawEvents.size());
        boolean anyValid = false;
        for (ReceivedEvent raw : rawEvents) {
            IngestCheck.Verdict o = IngestCheck.check(team, raw);
            anyValid |= o instanceof AcceptedEvent;
            checked.add(o);
        }
        if (!anyValid) {
            List<EventResult> results = new ArrayList<>(checked.size());
            checked.forEach(o -> results.add(((IngestCheck.Refused) o).result()));
            return results;
        }
        ReentrantLock order = teamOrder[Math.floorMod(team.hashCode(), STRIPES)];
        order.lock();
        try {
            List<EventResult> results = new ArrayList<>(rawEvents.size());
            List<SequencedEvent> added = new ArrayList<>();
            db.inTransaction("store " + rawEvents.size() + " events of team " + team, c -> {
                insert(c, team, checked, results, added);
                return null;
            });
            if (!added.isEmpty()) {
                fanout.localCommit(team, List.copyOf(added));
            }
            return results;
        } finally {
            order.unlock();
        }
    }

    private void insert(Connection c, String team, List<IngestCheck.Verdict> checked, List<EventResult> results,
            List<SequencedEvent> added) throws SQLException {
        long last = lockTeam(c, team);
        Map<String, AcceptedEvent> candidates = new LinkedHashMap<>();
        for (IngestCheck.Verdict o : checked) {
            if (o instanceof AcceptedEvent e) {
                candidates.putIfAbsent(e.eventId(), e);
            }
        }
        Map<String, Long> stored = existing(c, team, candidates.keySet());
        Map<String, Long> seen = new HashMap<>();
        List<Long> seqs = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<String> types = new ArrayList<>();
        List<String> data = new ArrayList<>();
        List<String> nodes = new ArrayList<>();
        for (IngestCheck.Verdict o : checked) {
            if (o instanceof IngestCheck.Refused refused) {
                results.add(refused.result());
                continue;
            }
            AcceptedEvent e = (AcceptedEvent) o;
            Long earlier = seen.containsKey(e.eventId()) ? seen.get(e.eventId()) : stored.get(e.eventId());
            if (earlier != null) {
                results.add(EventResult.duplicate(e.eventId(), earlier));
                continue;
            }
            last++;
            seen.put(e.eventId(), last);
            seqs.add(last);
            ids.add(e.eventId());
            types.add(e.eventType());
            String json = e.json();
            data.add(json);
            nodes.add(e.nodeId());
            added.add(new SequencedEvent(last, json, e.nodeId()));
            results.add(EventResult.success(e.eventId(), last));
        }
        if (added.isEmpty()) {
            return; // the rollback-free commit just releases the row lock
        }
        // One round trip for the whole batch; no conflict is possible because the team's row lock is held.
        try (PreparedStatement ins = c.prepareStatement(
                "INSERT INTO events(team, seq, event_id, event_type, data, received_at, node_id) "
                        + "SELECT ?, s, i, t, d, ?, n FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[]) AS u(s, i, t, d, n)")) {
            ins.setString(1, team);
            ins.setLong(2, clock.millis());
            ins.setArray(3, c.createArrayOf("bigint", seqs.toArray()));
            ins.setArray(4, c.createArrayOf("text", ids.toArray()));
            ins.setArray(5, c.createArrayOf("text", types.toArray()));
            ins.setArray(6, c.createArrayOf("text", data.toArray()));
            ins.setArray(7, c.createArrayOf("text", nodes.toArray()));
            ins.executeUpdate();
        }
        try (PreparedStatement up = c.prepareStatement("UPDATE team_seq SET last = ? WHERE team = ?")) {
            up.setLong(1, last);
            up.setString(2, team);
            up.executeUpdate();
        }
        try (PreparedStatement notify = c.prepareStatement("SELECT pg_notify('" + CHANNEL + "', ?)")) {
            notify.setString(1, team + ":" + last);
            notify.execute();
        }
    }

    /** Takes the team's counter row lock (creating the row on first use) and returns the last sequence number. */
    private static long lockTeam(Connection c, String team) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("INSERT INTO team_seq(team, last) VALUES (?, 0) "
                + "ON CONFLICT (team) DO UPDATE SET last = team_seq.last RETURNING last")) {
            q.setString(1, team);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The events of {@code ids} already stored, with where each is. */
    private static Map<String, Long> existing(Connection c, String team, Set<String> ids) throws SQLException {
        Map<String, Long> found = new HashMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT event_id, seq FROM events WHERE team = ? AND event_id = ANY(?)")) {
            q.setString(1, team);
            Array array = c.createArrayOf("text", ids.toArray());
            q.setArray(2, array);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return found;
    }

    @Override
    public StoredPage pullStored(String team, long after, int limit, int maxBytes) {
        return StoredPage.read(db, team, after, limit, maxBytes);
    }

    @Override
    public StoredPage pullSkipping(String team, long after, int limit, int maxBytes, String skipNode) {
        return StoredPage.readSkipping(db, team, after, limit, maxBytes, skipNode, latest(team));
    }

    /** The team's committed events after {@code after}, in order, at most {@code limit}. */
    static List<SequencedEvent> readAfter(Connection c, String team, long after, int limit) throws SQLException {
        List<SequencedEvent> events = new ArrayList<>(Math.min(limit, 1001));
        try (PreparedStatement q = c.prepareStatement(
                "SELECT seq, data, node_id FROM events WHERE team = ? AND seq > ? ORDER BY seq LIMIT ?")) {
            q.setString(1, team);
            q.setLong(2, after);
            q.setInt(3, limit);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    events.add(new SequencedEvent(rs.getLong(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return events;
    }

    @Override
    public long latest(String team) {
        try (Connection c = db.connection();
                PreparedStatement q = c.prepareStatement("SELECT last FROM team_seq WHERE team = ?")) {
            q.setString(1, team);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw db.failure("read the latest cursor of team " + team, e);
        }
    }
}
