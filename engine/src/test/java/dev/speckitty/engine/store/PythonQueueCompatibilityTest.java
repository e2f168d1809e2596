package dev.speckitty.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.engine.store.QueueStore.StoreOptions;
import dev.speckitty.protocol.testing.MutableClock;
import dev.speckitty.testing.TestEvents;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.testing.PythonFixtures;
import dev.speckitty.protocol.wire.EventResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The queue.db the Python spec-kitty wrote is ours to drain, and what we write is the Python tool's to read. */
@Timeout(60)
class PythonQueueCompatibilityTest {
    @TempDir
    Path home;

    @Test
    void drainsTheQueueThePythonToolWrote() throws Exception {
        PythonFixtures.copyInto(home, "queue.db");
        String schemaBefore = queueSchema(home.resolve("queue.db"));
        try (QueueStore store = QueueStore.open(home.resolve("queue.db"), StoreOptions.defaults())) {
            List<QueuedEvent> batch = store.nextBatch(DrainPosition.START, 10);
            assertEquals(List.of("WPStatusChanged", "HistoryAdded", "FeatureCreated"),
                    batch.stream().map(QueuedEvent::eventType).collect(Collectors.toList()));
            assertEquals(List.of(0, 1, 0), batch.stream().map(QueuedEvent::retryCount).collect(Collectors.toList()));
            List<String> expected = PythonFixtures.text("events.ndjson").lines().collect(Collectors.toList());
            assertEquals(expected, batch.stream().map(QueuedEvent::data).collect(Collectors.toList()));
            for (QueuedEvent q : batch) {
                assertEquals(q.eventId(), Event.parse(q.data()).eventId()); // valid envelopes, as they will be sent
            }
            long highest = expected.stream().mapToLong(d -> Event.parse(d).lamportClock()).max().orElseThrow();
            assertEquals(highest, store.maxLamport());

            BatchOutcome outcome = store.applyResults(batch, batch.stream().map(q -> EventResult.success(q.eventId())).collect(Collectors.toList()));
            assertEquals(3, outcome.pushed());
            assertEquals("WP01", outcome.outcomes().get(0).aggregateId());
            assertEquals(0, store.depth());
        }
        assertEquals(schemaBefore, queueSchema(home.resolve("queue.db")), "opening must not alter the Python table");
    }

    @Test
    void ourQueueTableIsThePythonTable() throws Exception {
        PythonFixtures.copyInto(home.resolve("python"), "queue.db");
        QueueStore.open(home.resolve("ours/queue.db"), StoreOptions.defaults()).close();
        assertEquals(columns(home.resolve("python/queue.db")), columns(home.resolve("ours/queue.db")));
        assertEquals(indexes(home.resolve("python/queue.db")), indexes(home.resolve("ours/queue.db")));
    }

    @Test
    void aRowWeWriteReadsBackWithThePythonSchema() throws Exception {
        PythonFixtures.copyInto(home, "queue.db");
        Instant now = Instant.parse("2026-11-25T08:00:00Z");
        Event ours = TestEvents.status(99, "WP05");
        try (QueueStore store = QueueStore.open(home.resolve("queue.db"), new StoreOptions(100, 3, new MutableClock(now)))) {
            store.enqueue(List.of(ours));
        }
        // The Python tool's own read: plain SQL over its columns, drain order, data = whole event.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("queue.db"));
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT id, event_id, event_type, data, timestamp, retry_count FROM queue ORDER BY timestamp, id")) {
            List<String> rows = new ArrayList<>();
            while (r.next()) {
                rows.add(r.getString(2));
                if (r.getString(2).equals(ours.eventId())) {
                    assertEquals("WPStatusChanged", r.getString(3));
                    assertEquals(ours, Event.parse(r.getString(4)));
                    assertEquals(now.getEpochSecond(), r.getLong(5));
                    assertEquals(0, r.getInt(6));
                }
            }
            assertEquals(4, rows.size());
            assertEquals(ours.eventId(), rows.get(3));
        }
    }

    @Test
    void pythonItselfReadsOurRow() throws Exception {
        Assumptions.assumeTrue(canRun("python3", "-c", "import sqlite3, json"), "python3 with sqlite3 is not installed");
        Event ours = TestEvents.note(7, "WP03", "aaaaaaaaaaaa");
        try (QueueStore store = QueueStore.open(home.resolve("queue.db"), StoreOptions.defaults())) {
            store.enqueue(List.of(ours));
        }
        String script = "import sqlite3, json, sys\n"
                + "c = sqlite3.connect(sys.argv[1])\n"
                + "for (eid, etype, data, ts, rc) in c.execute('SELECT event_id, event_type, data, timestamp, retry_count FROM queue ORDER BY timestamp, id'):\n"
                + "    e = json.loads(data)\n"
                + "    print(eid, etype, e['event_id'] == eid, e['lamport_clock'], e['payload']['wp_id'], type(ts).__name__, rc)\n";
        Process p = new ProcessBuilder("python3", "-c", script, home.resolve("queue.db").toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), out);
        assertEquals(ours.eventId() + " HistoryAdded True 7 WP03 int 0", out);
    }

    private static boolean canRun(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String queueSchema(Path db) throws SQLException {
        return query(db, "SELECT group_concat(sql, ';') FROM sqlite_master WHERE tbl_name = 'queue'").get(0);
    }

    private static List<String> columns(Path db) throws SQLException {
        return query(db, "SELECT name || ' ' || type || ' ' || \"notnull\" || ' ' || COALESCE(dflt_value, '-') || ' ' || pk FROM pragma_table_info('queue')");
    }

    private static List<String> indexes(Path db) throws SQLException {
        return query(db, "SELECT name || ' ' || \"unique\" FROM pragma_index_list('queue') ORDER BY name");
    }

    private static List<String> query(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (r.next()) {
                rows.add(r.getString(1));
            }
            return rows;
        }
    }
}
