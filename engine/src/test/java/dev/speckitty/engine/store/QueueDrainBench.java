package dev.speckitty.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.speckitty.engine.store.QueueStore.StoreOptions;
import dev.speckitty.testing.TestEvents;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enqueues and walks a big queue, printing times and heap. Not a unit test: run it with
 * {@code mvn -o -q test -pl daemon -Dtest=QueueDrainBench -Dspeckitty.bench.rows=1000000 -Dsurefire.failIfNoSpecifiedTests=false}
 * (output in daemon/target/surefire-reports/*QueueDrainBench-output.txt).
 */
@EnabledIfSystemProperty(named = "speckitty.bench.rows", matches = "\\d+")
class QueueDrainBench {
    @TempDir
    Path dir;

    @Test
    void enqueueAndWalk() {
        int rows = Integer.parseInt(System.getProperty("speckitty.bench.rows"));
        int chunk = 100_000;
        try (QueueStore store = QueueStore.open(dir.resolve("queue.db"), new StoreOptions(Long.MAX_VALUE, 3, Clock.systemUTC()))) {
            long t0 = System.nanoTime();
            for (int i = 0; i < rows; i += chunk) {
                store.enqueue(TestEvents.many(i, Math.min(chunk, rows - i)));
            }
            long t1 = System.nanoTime();
            System.gc();
            long heapBefore = usedHeap();
            long peak = heapBefore;
            DrainPosition at = DrainPosition.START;
            long seen = 0;
            while (true) {
                List<QueuedEvent> batch = store.nextBatch(at, 1000);
                if (batch.isEmpty()) {
                    break;
                }
                seen += batch.size();
                at = batch.get(batch.size() - 1).position();
                peak = Math.max(peak, usedHeap());
            }
            long t2 = System.nanoTime();
            assertEquals(rows, seen);
            System.out.printf("rows=%d enqueue(%d per transaction)=%d ms walk(1000 per batch)=%d ms heap before walk=%d MiB peak during walk=%d MiB%n",
                    rows, chunk, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, heapBefore >> 20, peak >> 20);
        }
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
