package dev.speckitty.server.store.sqlite;

import dev.speckitty.protocol.wire.EventResult;
import dev.speckitty.server.store.AcceptedEvent;
import dev.speckitty.server.store.CommitListener;
import dev.speckitty.server.store.EventStore;
import dev.speckitty.server.store.IngestCheck;
import dev.speckitty.server.store.ReceivedEvent;
import dev.speckitty.server.store.SequencedEvent;
import dev.speckitty.server.store.StoredPage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link EventStore} on the {@code events} table. Validation runs before the write lock; the insert
 * transaction and the commit notification run under {@link #writeOrder}, so listeners see commits in
 * sequence order. Across processes SQLite's own write lock keeps sequences dense.
 */
final class SqliteEventStore implements EventStore {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteEventStore.class);

    private final SqliteDatabase db;
    private final Clock clock;
    private final CommitListener listener;
    private final ReentrantLock writeOrder = new ReentrantLock(true);

    SqliteEventStore(SqliteDatabase db, Clock clock, CommitListener listener) {
        this.db = db;
        this.clock = clock;
        this.listener = listener;
    }

    @Override
    public List<EventResult> ingestReceived(String team, List<ReceivedEvent> rawEvents) {
        List<IngestCheck.Verdict> checked = new ArrayList<>(rawEvents.size());
        for (ReceivedEvent raw : rawEvents) {
            checked.add(IngestCheck.check(team, raw));
        }
        List<EventResult> results = new ArrayList<>(rawEvents.size());
        List<SequencedEvent> added = new ArrayList<>();
        writeOrder.lock();
        try {
            db.inTransaction("store " + rawEvents.size() + " events of team " + team, c -> {
                insert(c, team, checked, results, added);
                return null;
            });
            if (!added.isEmpty()) {
                try {
                    listener.committed(team, List.copyOf(added));
                } catch (RuntimeException e) {
                    // Stored is stored: a failing listener must not turn a commit into an error answer.
                    LOG.warn("commit listener failed for team {} (events are stored): {}", team, e.toString());
                }
            }
        } finally {
            writeOrder.unlock();
        }
        return results;
    }

    private void insert(Connection c, String team, List<IngestCheck.Verdict> checked, List<EventResult> results,
            List<SequencedEvent> added) throws SQLException {
        long seq = latest(c, team);
        long now = clock.millis();
        Map<String, Long> seen = new HashMap<>();
        try (PreparedStatement ins = c.prepareStatement(
                "INSERT INTO events(team, seq, event_id, event_type, data, received_at, node_id) VALUES (?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT(team, event_id) DO NOTHING");
             PreparedStatement first = c.prepareStatement("SELECT seq FROM events WHERE team = ? AND event_id = ?")) {
            for (IngestCheck.Verdict o : checked) {
                if (o instanceof IngestCheck.Refused refused) {
                    results.add(refused.result());
                    continue;
                }
                AcceptedEvent e = (AcceptedEvent) o;
                Long earlier = seen.get(e.eventId());
                if (earlier != null) {
                    results.add(EventResult.duplicate(e.eventId(), earlier));
                    continue;
                }
                ins.setString(1, team);
                ins.setLong(2, seq + 1);
                ins.setString(3, e.eventId());
                ins.setString(4, e.eventType());
                String json = e.json();
                ins.setString(5, json);
                ins.setLong(6, now);
                ins.setString(7, e.nodeId());
                if (ins.executeUpdate() == 1) {
                    seq++;
                    added.add(new SequencedEvent(seq, json, e.nodeId()));
                    seen.put(e.eventId(), seq);
                    results.add(EventResult.success(e.eventId(), seq));
                } else {
                    long stored = storedAt(first, team, e.eventId());
                    seen.put(e.eventId(), stored);
                    results.add(EventResult.duplicate(e.eventId(), stored));
                }
            }
        }
    }

    /** Where the first stored copy of {@code eventId} is (read in the ingest transaction, so it is there). */
    private static long storedAt(PreparedStatement first, String team, String eventId) throws SQLException {
        first.setString(1, team);
        first.setString(2, eventId);
        try (ResultSet rs = first.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("event " + eventId + " of team " + team + " was refused as a duplicate but is not stored");
            }
            return rs.getLong(1);
        }
    }

    @Override
    public StoredPage pullStored(String team, long after, int limit, int maxBytes) {
        return StoredPage.read(db, team, after, limit, maxBytes);
    }

    @Override
    public StoredPage pullSkipping(String team, long after, int limit, int maxBytes, String skipNode) {
        return StoredPage.readSkipping(db, team, after, limit, maxBytes, skipNode, latest(team));
    }

    @Override
    public long latest(String team) {
        try (Connection c = db.connection()) {
            return latest(c, team);
        } catch (SQLException e) {
            throw db.failure("read the latest cursor of team " + team, e);
        }
    }

    private static long latest(Connection c, String team) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM events WHERE team = ?")) {
            q.setString(1, team);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
