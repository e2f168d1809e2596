package dev.speckitty.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.engine.store.QueueStore.StoreOptions;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.event.V3Samples;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.testing.PythonFixtures;
import dev.speckitty.protocol.wire.EventResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A queue.db as spec-kitty 3.2.5 leaves it (the Python 2.x file, upgraded as 3.2.5 upgrades it: an extra
 * {@code coalesce_key} column and its index) is drained without touching that column: its values stay,
 * and a row 3.x coalesced while an upload was in flight (same id, a newer event) is not taken for the
 * row that was sent.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ThreeQueueTest {
    private static final String KEY = "MissionDossierSnapshotComputed|6f1c0a52-2f5e-4a8e-9d1e-0c3c6b1f2a11|001-offline-sync";

    @TempDir
    Path home;

    private Path threeQueue() throws Exception {
        PythonFixtures.copyInto(home, "queue.db");
        Path db = home.resolve("queue.db");
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE queue ADD COLUMN coalesce_key TEXT");
            s.execute("CREATE INDEX IF NOT EXISTS idx_coalesce_key ON queue(coalesce_key)");
            insert(c, V3Samples.event("MissionDossierSnapshotComputed", "team-a", "01KAT0V6J8Q5R9S1T2V3W4X5Y1").toString(), KEY);
        }
        return db;
    }

    @Test
    void drainsAThreeQueueAndLeavesItsCoalesceKeysAsTheyAre() throws Exception {
        Path db = threeQueue();
        try (QueueStore store = QueueStore.open(db, StoreOptions.defaults())) {
            List<QueuedEvent> batch = store.nextBatch(DrainPosition.START, 10);
            assertEquals(4, batch.size());
            QueuedEvent three = batch.get(3);
            assertEquals("MissionDossierSnapshotComputed", three.eventType());
            assertEquals("01KAT0V6J8Q5R9S1T2V3W4X5Y1", Event.parse(three.data()).eventId());
            // The three 2.x rows leave; the 3.x one is rejected once and stays, key and all.
            store.applyResults(batch, List.of(EventResult.success(batch.get(0).eventId()), EventResult.success(batch.get(1).eventId()),
                    EventResult.success(batch.get(2).eventId()), EventResult.rejected(three.eventId(), "not now")));
            assertEquals(1, store.depth());
        }
        try (Connection c = connect(db)) {
            assertEquals(List.of(KEY + "|1"), rows(c), "coalesce_key and retry_count as 3.x reads them");
            assertTrue(columns(c).contains("coalesce_key"), "the column is never dropped");
        }
    }

    @Test
    void aRowCoalescedWhileItsOlderEventWasInFlightIsNotDeletedByTheOlderOnesVerdict() throws Exception {
        Path db = threeQueue();
        try (QueueStore store = QueueStore.open(db, StoreOptions.defaults())) {
            QueuedEvent sent = store.nextBatch(DrainPosition.START, 10).get(3);
            // spec-kitty 3.x records a newer snapshot of the same mission: it overwrites the row in place.
            String newer = V3Samples.event("MissionDossierSnapshotComputed", "team-a", "01KAT0V6J8Q5R9S1T2V3W4X5Y2").toString();
            try (Connection c = connect(db);
                    PreparedStatement up = c.prepareStatement("UPDATE queue SET event_id = ?, data = ? WHERE coalesce_key = ?")) {
                up.setString(1, "01KAT0V6J8Q5R9S1T2V3W4X5Y2");
                up.setString(2, newer);
                up.setString(3, KEY);
                assertEquals(1, up.executeUpdate());
            }
            store.applyResults(List.of(sent), List.of(EventResult.success(sent.eventId())));
            store.applyResults(List.of(sent), List.of(EventResult.rejected(sent.eventId(), "late verdict")));
            List<QueuedEvent> left = store.nextBatch(DrainPosition.START, 10);
            QueuedEvent kept = left.get(left.size() - 1);
            assertEquals("01KAT0V6J8Q5R9S1T2V3W4X5Y2", kept.eventId(), "the newer event is still queued");
            assertEquals(0, kept.retryCount(), "and the older one's rejection did not count against it");
        }
    }

    @Test
    void aThreeEnvelopeRecordedWithoutATeamIsRoutedAtUpload() throws Exception {
        PythonFixtures.copyInto(home, "queue.db");
        Path db = home.resolve("queue.db");
        var unrouted = V3Samples.event("WPAssigned", "team-a", "01KAT0V6J8Q5R9S1T2V3W4X5Y3");
        unrouted.putNull("team_slug");
        unrouted.put("drain_blocked_reason", "no_team");
        var routed = V3Samples.event("WPAssigned", "team-z", "01KAT0V6J8Q5R9S1T2V3W4X5Y4");
        try (Connection c = connect(db)) {
            insert(c, unrouted.toString(), null);
            insert(c, routed.toString(), null);
        }
        try (QueueStore store = QueueStore.open(db, StoreOptions.defaults())) {
            List<QueuedEvent> batch = store.nextBatch(DrainPosition.START, 10);
            assertTrue(batch.get(3).localTeam(), "no team yet: the upload fills it in");
            assertTrue(!batch.get(4).localTeam(), "a 3.x event with its team is sent as recorded");
            assertEquals(Json.tree(routed.toString()), Json.tree(batch.get(4).data()));
        }
    }

    private static void insert(Connection c, String data, String coalesceKey) throws SQLException {
        boolean three = columns(c).contains("coalesce_key");
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO queue (event_id, event_type, data, timestamp, retry_count"
                + (three ? ", coalesce_key" : "") + ") VALUES (?, ?, ?, 4102444800, 0" + (three ? ", ?" : "") + ")")) {
            ins.setString(1, Json.tree(data).get("event_id").asText());
            ins.setString(2, Json.tree(data).get("event_type").asText());
            ins.setString(3, data);
            if (three) {
                ins.setString(4, coalesceKey);
            }
            ins.executeUpdate();
        }
    }

    private static List<String> rows(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT coalesce_key, retry_count FROM queue ORDER BY id")) {
            List<String> out = new java.util.ArrayList<>();
            while (r.next()) {
                out.add(r.getString(1) + "|" + r.getInt(2));
            }
            return out;
        }
    }

    private static List<String> columns(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA table_info(queue)")) {
            List<String> out = new java.util.ArrayList<>();
            while (r.next()) {
                out.add(r.getString("name"));
            }
            return out;
        }
    }

    private static Connection connect(Path db) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + db);
    }
}
