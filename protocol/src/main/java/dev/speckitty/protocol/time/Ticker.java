package dev.speckitty.protocol.time;

/**
 * A source of elapsed time in nanoseconds, for measuring durations (never a wall-clock time); the
 * model is Caffeine's {@code Ticker}. Production code reads {@link #system()}; tests move a virtual
 * one by hand, so timeouts and silences are decided without waiting. Implementations are thread-safe.
 */
@FunctionalInterface
public interface Ticker {
    /** Nanoseconds since an arbitrary origin, only meaningful as a difference of two readings. */
    long nanos();

    /** {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}
