package dev.speckitty.daemon.control;

import dev.speckitty.protocol.control.EnqueueRequestReader;
import dev.speckitty.protocol.control.RequestTooLargeException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What all control requests being read or answered may hold at once, so that many clients together
 * cannot run the daemon out of memory: the bytes of their bodies, reserved from each request's head
 * before its body is read, and the JSON values of their trees, taken as they are built
 * ({@link EnqueueRequestReader}). Forty clients sending 30 MB each at once ran the daemon out of its
 * 512 MB heap. A request past what is left is answered 503, and the CLI then queues in-process. A
 * request that alone has more values than the whole budget is answered 413. Each request holds a
 * {@link Ticket}, given back once when its answer is sent or its connection closes. Thread-safe.
 */
final class RequestBudget {
    /** Bytes of request bodies the daemon holds at once, at most: one request of the largest size and two import parts. */
    static final long MAX_BYTES = 48L << 20;
    /** JSON values the daemon holds at once, at most (a part of 5,000 events has about 50,000). */
    static final long MAX_VALUES = 1_500_000;

    /** The daemon's budget: about 190 MB of its 512 MB heap at worst (two copies of the bytes, about 80 bytes per value). */
    static RequestBudget daemons() {
        return new RequestBudget(MAX_BYTES, MAX_VALUES);
    }

    private final long maxBytes;
    private final long maxValues;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong values = new AtomicLong();

    RequestBudget(long maxBytes, long maxValues) {
        this.maxBytes = maxBytes;
        this.maxValues = maxValues;
    }

    /** The daemon holds more of other requests than it can hold with this one: try again later. */
    static final class BusyException extends IllegalStateException {
        BusyException(String message) {
            super(message);
        }
    }

    /** A ticket for a request whose body has {@code body} bytes, or null when they are not left. */
    Ticket admit(long body) {
        if (!take(bytes, body, maxBytes)) {
            return null;
        }
        return new Ticket(body);
    }

    /** A ticket holding nothing (a request refused before its body is read). */
    Ticket none() {
        return new Ticket(0);
    }

    long maxBytes() {
        return maxBytes;
    }

    /** Bytes held now (tests). */
    long bytesHeld() {
        return bytes.get();
    }

    /** Values held now (tests). */
    long valuesHeld() {
        return values.get();
    }

    private static boolean take(AtomicLong pool, long n, long max) {
        while (true) {
            long now = pool.get();
            if (now + n > max && n > 0) {
                return false;
            }
            if (pool.compareAndSet(now, now + n)) {
                return true;
            }
        }
    }

    /** What one request holds; {@link #release} gives it back, once. */
    final class Ticket implements EnqueueRequestReader.Budget {
        private final long body;
        private final AtomicLong taken = new AtomicLong();
        private final AtomicBoolean released = new AtomicBoolean();

        private Ticket(long body) {
            this.body = body;
        }

        @Override
        public void take(int n) {
            if (taken.get() + n > maxValues) {
                throw new RequestTooLargeException("more than " + String.format("%,d", maxValues)
                        + " JSON values in one request (expected: at most " + String.format("%,d", maxValues)
                        + "; send fewer or smaller events at a time)");
            }
            if (!RequestBudget.take(values, n, maxValues)) {
                throw new BusyException("the daemon is reading other large requests (at most " + String.format("%,d", maxValues)
                        + " JSON values at once); nothing was queued, try again");
            }
            taken.addAndGet(n);
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                bytes.addAndGet(-body);
                values.addAndGet(-taken.get());
            }
        }
    }
}
