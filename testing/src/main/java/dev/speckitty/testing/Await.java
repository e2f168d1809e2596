package dev.speckitty.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The one way tests wait for something another thread or process makes true: the condition is polled
 * with a short sleep that grows from 1 ms to 20 ms (never a busy spin, so a waiting test leaves the
 * cores to what it waits for), and a timeout fails with an {@link AssertionError} that names what was
 * awaited and for how long. Stateless; call from any thread.
 */
public final class Await {
    private static final long FIRST_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long LONGEST_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private Await() {
    }

    /** Polls {@code condition} until it holds; fails after {@code timeout} with "timed out after … waiting for {@code what}". */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        value(timeout, what, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /** Polls {@code probe} until it answers a value and returns it; fails after {@code timeout} as {@link #until} does. */
    public static <T> T value(Duration timeout, String what, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nap = FIRST_NAP_NANOS;
        while (true) {
            Optional<T> got = probe.get();
            if (got.isPresent()) {
                return got.get();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out after " + human(timeout) + " waiting for " + what);
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(nap, left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
            nap = Math.min(nap * 2, LONGEST_NAP_NANOS);
        }
    }

    /** "30 s", "1.5 s" or "200 ms". */
    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
