package dev.speckitty.e2e.engine;

import static dev.speckitty.e2e.support.InJvmDaemons.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.e2e.support.InJvmDaemons;
import dev.speckitty.engine.LocalEngine;
import dev.speckitty.engine.store.BatchOutcome;
import dev.speckitty.engine.store.DrainPosition;
import dev.speckitty.engine.store.Outbox;
import dev.speckitty.engine.store.QueueStore;
import dev.speckitty.engine.store.QueuedEvent;
import dev.speckitty.engine.store.Scope;
import dev.speckitty.engine.sync.SyncEngine;
import dev.speckitty.protocol.control.EnqueueRequest;
import dev.speckitty.protocol.control.QueueStats;
import dev.speckitty.protocol.control.SyncRequest;
import dev.speckitty.protocol.control.SyncSummary;
import dev.speckitty.protocol.control.SyncUpdate;
import dev.speckitty.protocol.wire.EventResult;
import dev.speckitty.server.ServerOptions;
import dev.speckitty.server.TeamServer;
import dev.speckitty.testing.TestEvents;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A push counts the events it starts with beside the upload: the count walks the whole queue
 * (seconds at 1,000,000 events) and only informs the progress, so the first batch must not wait for
 * it. Against the real team server, with a queue whose count does not end until a batch was
 * acknowledged.
 */
@Timeout(120)
class PushCountTest {
    @TempDir
    Path dir;

    @Test
    void theFirstBatchLeavesBeforeTheCountEndsAndTheTotalShowsOnceCounted() throws Exception {
        try (TeamServer server = TeamServer.start(ServerOptions.loopback(dir.resolve("server")))) {
            server.users().add("ada", "team-a", PASSWORD);
            ExecutorService prepare = Executors.newSingleThreadExecutor();
            ExecutorService counting = Executors.newSingleThreadExecutor();
            try (LocalEngine ada = LocalEngine.open(InJvmDaemons.home(dir, "ada", server.url(), "ada", Duration.ofMinutes(15)))) {
                ada.enqueue(new EnqueueRequest(TestEvents.noteDrafts("ada ", 0, 2_500), null));
                SlowCount outbox = new SlowCount(ada.store());
                SyncEngine engine = new SyncEngine(outbox, ada.store(), ada.clock(), ada.servers(), ada.tokens(),
                        ada.clock()::nodeId, 1_000, prepare, counting, Clock.systemUTC());
                List<SyncUpdate> updates = new CopyOnWriteArrayList<>();

                SyncSummary summary = engine.run(new SyncRequest(false, false), updates::add);

                assertTrue(summary.ok(), String.valueOf(summary.error()));
                assertEquals(2_500, summary.pushed());
                assertTrue(outbox.countWaitedForABatch.get(), "the count held up the first batch");
                List<SyncUpdate.Progress> push = updates.stream().filter(SyncUpdate.Progress.class::isInstance)
                        .map(SyncUpdate.Progress.class::cast).filter(p -> "push".equals(p.phase())).toList();
                assertEquals(-1, push.get(0).total(), "no total before the count: " + push);
                assertEquals(new SyncUpdate.Progress("push", 2_500, 2_500), push.get(push.size() - 1), push.toString());
                assertEquals(0, ada.store().depth());
            } finally {
                prepare.shutdownNow();
                counting.shutdownNow();
            }
        }
    }

    /** The queue, whose count of a scope's events ends only after a batch's results were applied (or 20 s). */
    private static final class SlowCount implements Outbox {
        private final QueueStore store;
        private final CountDownLatch applied = new CountDownLatch(1);
        final AtomicBoolean countWaitedForABatch = new AtomicBoolean();

        SlowCount(QueueStore store) {
            this.store = store;
        }

        @Override
        public long depth(Scope scope) {
            try {
                countWaitedForABatch.set(applied.await(20, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return store.depth(scope);
        }

        @Override
        public List<QueuedEvent> nextBatch(DrainPosition after, int limit, Scope scope) {
            return store.nextBatch(after, limit, scope);
        }

        @Override
        public BatchOutcome applyResults(List<QueuedEvent> batch, List<EventResult> results) {
            return store.applyResults(batch, results);
        }

        @Override
        public BatchOutcome applyResults(Scope scope, List<QueuedEvent> batch, List<String> sent, List<EventResult> results) {
            BatchOutcome outcome = store.applyResults(scope, batch, sent, results);
            applied.countDown();
            return outcome;
        }

        @Override
        public BatchOutcome park(List<QueuedEvent> rows, List<String> reasons) {
            return store.park(rows, reasons);
        }

        @Override
        public long depth() {
            return store.depth();
        }

        @Override
        public QueueStats stats(Instant now) {
            return store.stats(now);
        }
    }
}
