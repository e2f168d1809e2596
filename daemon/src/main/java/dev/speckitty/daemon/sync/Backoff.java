package dev.speckitty.daemon.sync;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/** How long to wait before reconnect attempt {@code n} (1-based). */
@FunctionalInterface
public interface Backoff {
    /** The longest {@code Retry-After} honoured: a server asking for hours still gets tried every 10 minutes. */
    Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);

    Duration delay(int attempt);

    /**
     * The wait before the next attempt when the server answered 429 or 503 with {@code Retry-After}:
     * what it asked for, bounded by {@link #MAX_RETRY_AFTER}, and never less than {@code backoff}.
     */
    static Duration honouring(Duration backoff, Optional<Duration> retryAfter) {
        if (retryAfter.isEmpty()) {
            return backoff;
        }
        Duration asked = retryAfter.get().compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter.get();
        return asked.compareTo(backoff) > 0 ? asked : backoff;
    }

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
