package dev.speckitty.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.engine.store.QueueStore.StoreOptions;
import dev.speckitty.protocol.testing.MutableClock;
import dev.speckitty.testing.TestEvents;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.wire.EventResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Bulk enqueue, long drain walks, several connections on one file, and a full disk. */
class QueueStoreScaleTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void walksTwoHundredThousandRowsOneBatchAtATime() throws Exception {
        int rows = 200_000;
        MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
        try (QueueStore store = QueueStore.open(dir.resolve("queue.db"), new StoreOptions(1_000_000, 3, clock))) {
            // Two bulk enqueues (one transaction each) a second apart, so the walk crosses timestamps.
            assertEquals(rows / 2, store.enqueue(TestEvents.many(0, rows / 2)).size());
            clock.advance(Duration.ofSeconds(1));
            assertEquals(rows / 2, store.enqueue(TestEvents.many(rows / 2, rows / 2)).size());
            assertEquals(rows, store.depth());

            DrainPosition at = DrainPosition.START;
            long seen = 0;
            long expected = 0;
            while (true) {
                List<QueuedEvent> batch = store.nextBatch(at, 1000);
                if (batch.isEmpty()) {
                    break;
                }
                assertTrue(batch.size() <= 1000);
                for (QueuedEvent q : batch) {
                    assertEquals(TestEvents.id(expected++), q.eventId());
                }
                seen += batch.size();
                at = batch.get(batch.size() - 1).position();
            }
            assertEquals(rows, seen);
        }
        // The walk reads `limit` rows through the index instead of sorting the whole table, and within one
        // second it seeks past `after` instead of stepping over the rows before it (a row value
        // `(timestamp, id) > (?, ?)` seeks the timestamp alone: quadratic over an import's one second).
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("queue.db"))) {
            String sameSecond = plan(c, "SELECT id, data FROM queue WHERE timestamp = 1 AND id > 2 ORDER BY id LIMIT 1000");
            assertTrue(sameSecond.contains("idx_timestamp (timestamp=? AND rowid>?)"), sameSecond);
            String later = plan(c, "SELECT id, data FROM queue WHERE timestamp > 1 ORDER BY timestamp, id LIMIT 1000");
            assertTrue(later.contains("idx_timestamp (timestamp>?)"), later);
            assertFalse(sameSecond.contains("TEMP B-TREE") || later.contains("TEMP B-TREE"), sameSecond + later);
        }
    }

    private static String plan(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
            StringBuilder plan = new StringBuilder();
            while (r.next()) {
                plan.append(r.getString("detail")).append('\n');
            }
            return plan.toString();
        }
    }

    @Test
    @Timeout(120)
    void twoStoresEnqueueWhileAThirdDrains() throws Exception {
        Path db = dir.resolve("queue.db");
        int perWriter = 2000;
        StoreOptions options = new StoreOptions(1_000_000, 3, java.time.Clock.systemUTC());
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try (QueueStore a = QueueStore.open(db, options);
             QueueStore b = QueueStore.open(db, options);
             QueueStore drainer = QueueStore.open(db, options)) {
            Future<Integer> wa = pool.submit(() -> enqueueInSmallBatches(a, 0, perWriter));
            Future<Integer> wb = pool.submit(() -> enqueueInSmallBatches(b, 1_000_000, perWriter));
            Future<Set<String>> drained = pool.submit(() -> {
                Set<String> acked = new HashSet<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(100);
                while (acked.size() < 2 * perWriter && System.nanoTime() < deadline) {
                    List<QueuedEvent> batch = drainer.nextBatch(DrainPosition.START, 100);
                    BatchOutcome o = drainer.applyResults(batch,
                            batch.stream().map(q -> EventResult.success(q.eventId())).collect(Collectors.toList()));
                    assertEquals(batch.size(), o.pushed());
                    for (QueuedEvent q : batch) {
                        assertTrue(acked.add(q.eventId()), "sent twice: " + q.eventId());
                    }
                }
                return acked;
            });
            assertEquals(perWriter, wa.get(100, TimeUnit.SECONDS));
            assertEquals(perWriter, wb.get(100, TimeUnit.SECONDS));
            assertEquals(2 * perWriter, drained.get(100, TimeUnit.SECONDS).size());
            assertEquals(0, drainer.depth());
        } finally {
            pool.shutdownNow();
        }
    }

    private static int enqueueInSmallBatches(QueueStore store, long first, int count) {
        int queued = 0;
        for (int i = 0; i < count; i += 50) {
            queued += store.enqueue(TestEvents.many(first + i, 50)).size();
        }
        return queued;
    }

    @Test
    @Timeout(60)
    void aFullDiskRefusesTheRequestAndKeepsWhatIsQueued() {
        Path db = dir.resolve("queue.db");
        List<Event> kept = TestEvents.many(0, 20);
        System.setProperty(QueueDatabase.MAX_PAGE_COUNT_PROPERTY, "30");
        try (QueueStore store = QueueStore.open(db, StoreOptions.defaults())) {
            store.enqueue(kept);
            List<Event> big = TestEvents.many(1000, 2000);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.enqueue(big));
            assertTrue(e.getMessage().contains("is full"), e.getMessage());
            assertTrue(e.getMessage().contains("nothing was queued"), e.getMessage());
            assertEquals(20, store.depth());
            assertEquals(QueueStoreTest.ids(kept), store.nextBatch(DrainPosition.START, 100).stream()
                    .map(QueuedEvent::eventId).collect(Collectors.toList()));
            // The store still works once space frees up (here: once the acknowledged rows leave).
            List<QueuedEvent> batch = store.nextBatch(DrainPosition.START, 100);
            store.applyResults(batch, batch.stream().map(q -> EventResult.success(q.eventId())).collect(Collectors.toList()));
            assertEquals(10, store.enqueue(TestEvents.many(5000, 10)).size());
        } finally {
            System.clearProperty(QueueDatabase.MAX_PAGE_COUNT_PROPERTY);
        }
        try (QueueStore reopened = QueueStore.open(db, StoreOptions.defaults())) {
            assertEquals(10, reopened.depth());
        }
    }

    static List<String> idsOf(List<QueuedEvent> rows) {
        List<String> ids = new ArrayList<>();
        rows.forEach(q -> ids.add(q.eventId()));
        return ids;
    }
}
