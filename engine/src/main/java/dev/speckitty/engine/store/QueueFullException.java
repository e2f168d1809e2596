package dev.speckitty.engine.store;

/** The queue holds {@code max_queue_size} events: new events are refused, never dropped silently. */
public final class QueueFullException extends RuntimeException {
    private final long depth;
    private final long cap;

    public QueueFullException(long depth, long cap, int refused) {
        super("the queue holds " + depth + " events (sync.max_queue_size: " + cap + "); " + refused
                + " new event(s) refused, nothing was queued. Run `spec-kitty sync now` to drain it, or raise sync.max_queue_size");
        this.depth = depth;
        this.cap = cap;
    }

    public long depth() {
        return depth;
    }

    public long cap() {
        return cap;
    }
}
