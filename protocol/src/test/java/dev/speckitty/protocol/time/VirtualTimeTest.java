package dev.speckitty.protocol.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.protocol.testing.VirtualTime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The test scheduler the sync loop's tests rely on: if it ran tasks early, late or out of order, they would prove nothing. */
class VirtualTimeTest {
    private final VirtualTime time = new VirtualTime(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<String> ran = new ArrayList<>();

    @Test
    void tasksRunWhenDueInOrderWithTheTimeSetToTheirDueTime() {
        time.schedule(() -> ran.add("b@" + time.elapsed().toMillis()), 200, TimeUnit.MILLISECONDS);
        time.schedule(() -> ran.add("a@" + time.elapsed().toMillis()), 100, TimeUnit.MILLISECONDS);
        time.schedule(() -> ran.add("c@" + time.elapsed().toMillis()), 200, TimeUnit.MILLISECONDS);
        time.execute(() -> ran.add("now@" + time.elapsed().toMillis()));
        assertTrue(ran.isEmpty(), "nothing runs by itself");

        time.advance(Duration.ofMillis(199));
        assertEquals(List.of("now@0", "a@100"), ran);
        assertEquals(199, time.elapsed().toMillis());
        assertEquals(Instant.parse("2026-01-01T00:00:00.199Z"), time.clock().instant());

        time.advance(Duration.ofMillis(1));
        assertEquals(List.of("now@0", "a@100", "b@200", "c@200"), ran, "equal due times run in scheduling order");
    }

    @Test
    void aFixedDelayTaskRepeatsUntilCancelled() {
        Cancellable beat = time.scheduleWithFixedDelay(() -> ran.add("beat@" + time.elapsed().toMillis()), 10, 30, TimeUnit.MILLISECONDS);
        time.advance(Duration.ofMillis(100));
        assertEquals(List.of("beat@10", "beat@40", "beat@70", "beat@100"), ran);
        assertFalse(beat.isDone());
        beat.cancel();
        time.advance(Duration.ofSeconds(1));
        assertEquals(4, ran.size());
        assertTrue(beat.isDone());
    }

    @Test
    void aTaskScheduledByATaskWithinTheWindowRunsInTheSameAdvance() {
        time.schedule(() -> {
            ran.add("first@" + time.elapsed().toMillis());
            time.schedule(() -> ran.add("second@" + time.elapsed().toMillis()), 50, TimeUnit.MILLISECONDS);
        }, 100, TimeUnit.MILLISECONDS);
        Cancellable never = time.schedule(() -> ran.add("cancelled"), 120, TimeUnit.MILLISECONDS);
        never.cancel();
        time.advance(Duration.ofMillis(150));
        assertEquals(List.of("first@100", "second@150"), ran);
        assertTrue(never.isDone());
        assertEquals(0, time.pending());
    }
}
