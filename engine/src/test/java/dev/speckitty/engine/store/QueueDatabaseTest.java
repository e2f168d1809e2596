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
