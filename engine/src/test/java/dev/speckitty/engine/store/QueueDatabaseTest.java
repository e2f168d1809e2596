package dev.speckitty.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueDatabaseTest {
    @TempDir
    Path dir;

    /**
     * queue_scope is kept without a rowid (one B-tree, one page per enqueue); the rowid table an earlier
     * version made is rebuilt once at open, every row kept, and a second open leaves it as it is.
     */
    @Test
    void anEarlierQueueScopeTableIsRebuiltWithoutARowidKeepingItsRows() throws Exception {
        Path file = dir.resolve("queue.db");
        try (QueueDatabase db = QueueDatabase.open(file)) {
            db.write(c -> {
                try (Statement s = c.createStatement()) {
                    for (String ddl : Schema.QUEUE) {
                        s.execute(ddl);
                    }
                    s.execute("INSERT INTO queue (event_id, event_type, data, timestamp) VALUES ('a', 'T', '{}', 1), ('b', 'T', '{}', 2)");
                    s.execute("CREATE TABLE queue_scope (event_id TEXT PRIMARY KEY, server TEXT NOT NULL)");
                    s.execute("INSERT INTO queue_scope VALUES ('a', 'https://one'), ('b', 'https://two')");
                }
                assertTrue(!Schema.withoutRowid(c, "queue_scope"));
                Schema.create(c);
                assertTrue(Schema.withoutRowid(c, "queue_scope"));
                Schema.create(c); // nothing to rebuild
                try (Statement s = c.createStatement();
                     ResultSet r = s.executeQuery("SELECT group_concat(event_id || '=' || server, ' ') FROM (SELECT * FROM queue_scope ORDER BY event_id)")) {
                    r.next();
                    assertEquals("a=https://one b=https://two", r.getString(1));
                }
                try (Statement s = c.createStatement();
                     ResultSet r = s.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE tbl_name = 'queue_scope' AND type = 'index'")) {
                    r.next();
                    assertEquals(0, r.getInt(1), "no separate index on event_id: the table is its key's B-tree");
                }
                return null;
            });
        }
    }

    /** A report (a status count) must not wait for a write transaction that is still running. */
    @Test
    void reportsReadBesideARunningWriteAndSeeTheLastCommit() throws Exception {
        try (QueueDatabase db = QueueDatabase.open(dir.resolve("queue.db"))) {
            db.write(c -> {
                Schema.create(c);
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO queue (event_id, event_type, data, timestamp) VALUES ('a', 'T', '{}', 1)");
                }
                return null;
            });
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    db.write(c -> {
                        try (Statement s = c.createStatement()) {
                            s.execute("INSERT INTO queue (event_id, event_type, data, timestamp) VALUES ('b', 'T', '{}', 2)");
                        }
                        inside.countDown();
                        awaitUninterruptibly(release);
                        return null;
                    });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(inside.await(30, TimeUnit.SECONDS));
            // The write transaction holds the main connection's lock; the report does not need it
            // (it would wait for ever if it did, so it gets a deadline).
            CompletableFuture<Long> report = CompletableFuture.supplyAsync(() -> {
                try {
                    return count(db);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals(1, report.get(30, TimeUnit.SECONDS));
            release.countDown();
            writer.get(30, TimeUnit.SECONDS);
            assertEquals(2, count(db));
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS), "the test never released the writer");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(QueueDatabase db) throws Exception {
        return db.report(c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM queue")) {
                r.next();
                return r.getLong(1);
            }
        });
    }
}
