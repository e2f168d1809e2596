package dev.speckitty.daemon.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.protocol.control.EventOutcome;
import dev.speckitty.protocol.control.SyncSummary;
import dev.speckitty.protocol.control.SyncUpdate;
import dev.speckitty.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SharedSyncTest {
    private static SyncSummary summary(long pushed, long batches, List<EventOutcome> rejected, String finishedAt) {
        return new SyncSummary(true, "https://x", pushed, 1, rejected.size(), 2, batches, 0, 0, rejected, null, null, 10, finishedAt);
    }

    @Test
    void aJoinerGetsTheRestOfTheProgressAndTheSummary() throws Exception {
        SharedSync shared = new SharedSync();
        shared.accept(SyncUpdate.progress("push", 1, 3)); // before anyone joined
        List<SyncUpdate> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<SyncSummary> joined = CompletableFuture.supplyAsync(() -> shared.join(seen::add));
        // Progress keeps coming until the joiner is registered and has seen one.
        Await.until(Duration.ofSeconds(10), "the joiner to see a progress line", () -> {
            shared.accept(SyncUpdate.progress("push", 2, 3));
            return !seen.isEmpty();
        });
        assertTrue(shared.running());
        SyncSummary done = summary(3, 1, List.of(), "t1");
        shared.finish(done);
        assertEquals(done, joined.get(10, TimeUnit.SECONDS));
        assertFalse(shared.running());
        assertTrue(seen.stream().allMatch(u -> u.equals(SyncUpdate.progress("push", 2, 3))), seen.toString());
    }

    @Test
    void mergedSummariesAddCountsAndKeepTheLastState() {
        EventOutcome r1 = new EventOutcome("01A", "WPStatusChanged", "WP01", EventOutcome.Status.REJECTED, "bad lane");
        EventOutcome r2 = new EventOutcome("01B", "WPStatusChanged", "WP02", EventOutcome.Status.REJECTED, "bad lane");
        SyncSummary merged = SharedSync.merge(summary(1000, 1, List.of(r1), "t1"), summary(5, 1, List.of(r2), "t2"));
        assertEquals(1005, merged.pushed());
        assertEquals(2, merged.batches());
        assertEquals(2, merged.duplicates());
        assertEquals(2, merged.rejected());
        assertEquals(4, merged.pulled());
        assertEquals(List.of(r1, r2), merged.rejectedEvents());
        assertEquals("t2", merged.finishedAt());
        assertEquals(20, merged.durationMs());
    }
}
