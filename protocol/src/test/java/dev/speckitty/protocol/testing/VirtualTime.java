package dev.speckitty.protocol.testing;

import dev.speckitty.protocol.time.Cancellable;
import dev.speckitty.protocol.time.Scheduler;
import dev.speckitty.protocol.time.Ticker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * Time that moves only when a test says so: a {@link Ticker}, a {@link Clock} and a {@link Scheduler}
 * in one. Tasks never run by themselves; {@link #advance} runs every task that falls due, in order of
 * due time (then of scheduling), on the calling thread, with the time set to each task's due time
 * while it runs. So a sync loop's backoff, debounce and timers run in microseconds and in one order,
 * single-threaded. Tasks may be handed in from any thread (a network callback); they wait for the
 * next {@link #advance}. Thread-safe; {@link #advance} is meant for one thread.
 */
public final class VirtualTime implements Scheduler, Ticker {
    /** A bound on the tasks one advance runs, so a task that keeps re-posting itself fails the test instead of hanging it. */
    private static final int MAX_TASKS_PER_ADVANCE = 1_000_000;

    private final Instant origin;
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private volatile long now;
    private long sequence;

    /** Starts at {@code origin} on the wall clock ({@link #clock}), at 0 on the ticker. */
    public VirtualTime(Instant origin) {
        this.origin = origin;
    }

    /** Starts at the current wall-clock time, so tokens that expire in real time are still valid. */
    public VirtualTime() {
        this(Instant.now());
    }

    @Override
    public long nanos() {
        return now;
    }

    /** Time since the start. */
    public Duration elapsed() {
        return Duration.ofNanos(now);
    }

    /** A wall clock that reads the origin plus the virtual time elapsed. */
    public Clock clock() {
        return new UtcClock() {
            @Override
            public Instant instant() {
                return origin.plusNanos(now);
            }
        };
    }

    @Override
    public Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
        return enqueue(task, unit.toNanos(Math.max(0, delay)), -1);
    }

    @Override
    public Cancellable scheduleWithFixedDelay(Runnable task, long initialDelay, long delay, TimeUnit unit) {
        if (delay <= 0) {
            throw new IllegalArgumentException("delay: " + delay + " (expected: > 0)");
        }
        return enqueue(task, unit.toNanos(Math.max(0, initialDelay)), unit.toNanos(delay));
    }

    private synchronized Task enqueue(Runnable task, long delayNanos, long periodNanos) {
        Task t = new Task(task, now + delayNanos, periodNanos, sequence++);
        queue.add(t);
        return t;
    }

    /** How many tasks wait (one-shot and periodic, cancelled ones excluded). */
    public synchronized int pending() {
        return (int) queue.stream().filter(t -> !t.cancelled).count();
    }

    /** Runs the tasks due now (those handed in with no delay, from this thread or another). */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /**
     * Moves time forward by {@code by}, running each task that falls due on the way (and those they
     * schedule within the window) in order; a task that throws fails the caller.
     */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("by: " + by + " (expected: >= 0)");
        }
        long target = now + by.toNanos();
        for (int ran = 0; ; ran++) {
            Task next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due > target) {
                    now = target;
                    return;
                }
                queue.poll();
                if (next.cancelled) {
                    continue;
                }
                now = Math.max(now, next.due);
            }
            if (ran >= MAX_TASKS_PER_ADVANCE) {
                throw new AssertionError("more than " + MAX_TASKS_PER_ADVANCE + " tasks in one advance of " + by + ": a task re-posts itself forever");
            }
            next.task.run();
            synchronized (this) {
                if (next.period > 0 && !next.cancelled) {
                    next.due = now + next.period;
                    next.order = sequence++;
                    queue.add(next);
                } else {
                    next.ran = true;
                }
            }
        }
    }

    /** A scheduled task; its due time and order are guarded by the scheduler's monitor. */
    private final class Task implements Cancellable, Comparable<Task> {
        final Runnable task;
        final long period;
        long due;
        long order;
        volatile boolean cancelled;
        volatile boolean ran;

        Task(Runnable task, long due, long period, long order) {
            this.task = task;
            this.due = due;
            this.period = period;
            this.order = order;
        }

        @Override
        public void cancel() {
            cancelled = true;
            synchronized (VirtualTime.this) {
                queue.remove(this);
            }
        }

        @Override
        public boolean isDone() {
            return cancelled || ran;
        }

        @Override
        public int compareTo(Task o) {
            int byDue = Long.compare(due, o.due);
            return byDue != 0 ? byDue : Long.compare(order, o.order);
        }
    }
}
