package dev.speckitty.protocol.time;

/** A task handed to a {@link Scheduler}: it can be cancelled before it runs (or before it runs again). */
public interface Cancellable {
    /** Stops the task from running (again); a run in progress finishes. Idempotent. */
    void cancel();

    /** Whether a one-shot task has run or either kind was cancelled. */
    boolean isDone();
}
