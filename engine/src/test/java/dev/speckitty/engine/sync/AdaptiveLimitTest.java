package dev.speckitty.engine.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdaptiveLimitTest {
    @Test
    void halvesDownToOneAndDoublesBackAfterEnoughSuccesses() {
        AdaptiveLimit limit = new AdaptiveLimit(1000, 2);
        assertEquals(1000, limit.current());
        limit.refused(1000);
        assertEquals(500, limit.current());
        limit.refused(37); // what was sent was smaller than the limit (the byte bound cut it): half of that
        assertEquals(18, limit.current());
        for (int i = 0; i < 10; i++) {
            limit.refused(limit.current());
        }
        assertEquals(1, limit.current());
        assertTrue(limit.atMinimum());
        limit.succeeded();
        assertEquals(1, limit.current(), "one success is not enough");
        limit.succeeded();
        assertEquals(2, limit.current());
        for (int i = 0; i < 40; i++) {
            limit.succeeded();
        }
        assertEquals(1000, limit.current(), "back to the maximum, not past it");
        limit.refused(1000);
        limit.succeeded();
        limit.refused(500);
        limit.succeeded();
        assertEquals(250, limit.current(), "a refusal resets the streak");
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveLimit(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveLimit(5, 0));
    }

    @Test
    void anAdvertisedCeilingCapsTheLimitAndALargerOneLiftsItBackToTheConfiguredMaximumOnly() {
        AdaptiveLimit limit = new AdaptiveLimit(1000, 2);
        limit.ceiling(300);
        assertEquals(300, limit.current());
        assertEquals(300, limit.max());
        for (int i = 0; i < 20; i++) {
            limit.succeeded();
        }
        assertEquals(300, limit.current(), "growth stops at the ceiling");
        limit.refused(300);
        assertEquals(150, limit.current());
        limit.ceiling(5000);
        assertEquals(1000, limit.max(), "never above what it was made with");
        assertEquals(150, limit.current(), "a refusal's halving stands until successes earn it back");
        limit.ceiling(100);
        assertEquals(100, limit.current());
        limit.ceiling(0);
        assertEquals(1, limit.current());
    }
}
