package dev.speckitty.daemon.sync;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/** How long to wait before reconnect attempt {@code n} (1-based). */
@FunctionalInterface
public interface Backoff {
    Duration delay(int attempt);

    /**
     * Exponential backoff with full jitter: a uniform random delay in {@code [0, min(cap, base·2^(n-1))]}.
     * Full jitter spreads a team's reconnects after a server restart instead of synchronising them.
     */
    static Backoff exponentialFullJitter(Duration base, Duration cap, DoubleSupplier random) {
        return attempt -> {
            double ceiling = Math.min(cap.toMillis(), base.toMillis() * Math.pow(2, Math.min(30, Math.max(0, attempt - 1))));
            return Duration.ofMillis((long) (random.getAsDouble() * ceiling));
        };
    }

    /** The daemon's policy: 0.5 s doubling to 30 s, forever. */
    static Backoff standard(DoubleSupplier random) {
        return exponentialFullJitter(Duration.ofMillis(500), Duration.ofSeconds(30), random);
    }
}
