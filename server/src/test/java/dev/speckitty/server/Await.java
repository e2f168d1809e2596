package dev.speckitty.server;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for a condition in the server tests: spins (yielding) until it holds, failing with what was awaited. */
public final class Await {
    private Await() {
    }

    public static void await(BooleanSupplier condition, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
