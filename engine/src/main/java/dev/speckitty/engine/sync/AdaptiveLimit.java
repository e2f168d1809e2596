package dev.speckitty.engine.sync;

/**
 * A size limit that halves when the other side refuses what was sent (a 413, an answer too large to
 * read) and grows back, doubling, after {@code growAfter} successes in a row, up to {@code max}; never
 * below 1. Owned by the thread that holds the sync engine's lock.
 */
final class AdaptiveLimit {
    private final int configured;
    private final int growAfter;
    private int max;
    private int current;
    private int streak;

    AdaptiveLimit(int max, int growAfter) {
        if (max < 1 || growAfter < 1) {
            throw new IllegalArgumentException("max: " + max + ", growAfter: " + growAfter + " (expected: both >= 1)");
        }
        this.configured = max;
        this.max = max;
        this.growAfter = growAfter;
        this.current = max;
    }

    /**
     * Caps the limit at what the other side advertises ({@code ceiling} ≥ 1), never above the limit it
     * was made with; a later, larger ceiling lifts the cap again up to that.
     */
    void ceiling(int ceiling) {
        int was = max;
        max = Math.max(1, Math.min(configured, ceiling));
        if (current == was || current > max) {
            current = max; // a limit at its cap follows it; one halved by a refusal stays as low, within the cap
        }
    }

    int max() {
        return max;
    }

    int current() {
        return current;
    }

    /** Whether nothing smaller can be asked for. */
    boolean atMinimum() {
        return current == 1;
    }

    /** What was sent at {@code used} (at most the current limit) was refused: half of it from now on. */
    void refused(int used) {
        current = Math.max(1, Math.min(current, used) / 2);
        streak = 0;
    }

    /** What was sent went through. */
    void succeeded() {
        if (current < max && ++streak >= growAfter) {
            current = (int) Math.min(max, current * 2L);
            streak = 0;
        }
    }
}
