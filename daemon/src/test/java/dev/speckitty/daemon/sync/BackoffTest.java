package dev.speckitty.daemon.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void ceilingDoublesFromHalfASecondToThirtySeconds() {
        Backoff top = Backoff.standard(() -> 1.0);
        assertEquals(Duration.ofMillis(500), top.delay(1));
        assertEquals(Duration.ofMillis(1000), top.delay(2));
        assertEquals(Duration.ofMillis(2000), top.delay(3));
        assertEquals(Duration.ofSeconds(16), top.delay(6));
        assertEquals(Duration.ofSeconds(30), top.delay(7));
        assertEquals(Duration.ofSeconds(30), top.delay(10_000), "forever, capped");
    }

    @Test
    void fullJitterSpreadsDelaysOverTheWholeRange() {
        Random random = new Random(42);
        Backoff jittered = Backoff.standard(random::nextDouble);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 1000; i++) {
            long ms = jittered.delay(20).toMillis();
            assertTrue(ms >= 0 && ms <= 30_000, "within [0, cap]: " + ms);
            min = Math.min(min, ms);
            max = Math.max(max, ms);
        }
        assertTrue(min < 3_000 && max > 27_000, "spread over the range: " + min + ".." + max);
        assertEquals(Duration.ZERO, Backoff.standard(() -> 0.0).delay(5));
    }

    @Test
    void retryAfterIsHonouredWithTheBackoffAsFloorAndTenMinutesAsCeiling() {
        Duration backoff = Duration.ofSeconds(4);
        assertEquals(backoff, Backoff.honouring(backoff, java.util.Optional.empty()));
        assertEquals(Duration.ofSeconds(120), Backoff.honouring(backoff, java.util.Optional.of(Duration.ofSeconds(120))));
        assertEquals(backoff, Backoff.honouring(backoff, java.util.Optional.of(Duration.ofSeconds(1))), "never sooner than the backoff");
        assertEquals(Duration.ofMinutes(10), Backoff.honouring(backoff, java.util.Optional.of(Duration.ofDays(2))), "a day is 10 minutes");
    }
}
