package dev.speckitty.protocol.time;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks now or after a delay, in the order they fall due; the model is Caffeine's
 * {@code Scheduler}. A class that keeps its state on one thread takes a scheduler instead of
 * making its own executor, so production passes a single-thread executor ({@link #of}) and tests a
 * virtual one that runs due tasks on the test's thread as it moves time forward. A scheduler that
 * no longer takes tasks (its executor shut down) throws {@link RejectedExecutionException}.
 * Implementations are thread-safe.
 */
public interface Scheduler extends Executor {
    /** Runs {@code task} once after {@code delay}. */
    Cancellable schedule(Runnable task, long delay, TimeUnit unit);

    /** Runs {@code task} after {@code initialDelay}, then again {@code delay} after each run ends, until cancelled. */
    Cancellable scheduleWithFixedDelay(Runnable task, long initialDelay, long delay, TimeUnit unit);

    /** Runs {@code task} as soon as possible, after the tasks already due. */
    @Override
    default void execute(Runnable task) {
        schedule(task, 0, TimeUnit.NANOSECONDS);
    }

    /** The tasks run on {@code executor}'s threads (it stays the caller's to shut down). */
    static Scheduler of(ScheduledExecutorService executor) {
        return new Scheduler() {
            @Override
            public Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
                return handle(executor.schedule(task, delay, unit));
            }

            @Override
            public Cancellable scheduleWithFixedDelay(Runnable task, long initialDelay, long delay, TimeUnit unit) {
                return handle(executor.scheduleWithFixedDelay(task, initialDelay, delay, unit));
            }

            @Override
            public void execute(Runnable task) {
                executor.execute(task);
            }
        };
    }

    private static Cancellable handle(ScheduledFuture<?> future) {
        return new Cancellable() {
            @Override
            public void cancel() {
                future.cancel(false);
            }

            @Override
            public boolean isDone() {
                return future.isDone();
            }
        };
    }
}
