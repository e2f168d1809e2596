package dev.speckitty.protocol.event;

/**
 * The bounds every reader of an event can rely on, shared by the server (which refuses an event past
 * any of them, per event, with the reason) and the clients (which never send, nor adopt from a pulled
 * event, a value past them). docs/SECURITY.md lists them with what each refusal looks like.
 */
public final class EventLimits {
    /**
     * The largest event, as compact UTF-8 JSON: 256 KiB. spec-kitty 3.x sends batches of at most
     * 512 KiB, so an event under this bound fits any client's batch; four of them no longer make a
     * pull page that a reader refuses.
     */
    public static final int MAX_EVENT_BYTES = 256 * 1024;

    /**
     * The deepest nesting of objects and arrays in an event, the envelope itself being level 1 and
     * its payload level 2. Real payloads use four or five; recursive readers (Python's {@code json})
     * fail near a thousand.
     */
    public static final int MAX_DEPTH = 32;

    /**
     * The most bytes one event may take as a client sent it, whitespace included: twice
     * {@link #MAX_EVENT_BYTES}, room for the spaces Python's {@code json.dumps} puts after every comma
     * and colon. A server stores and serves the event as sent, so this bounds what it keeps.
     */
    public static final int MAX_EVENT_SOURCE_BYTES = 2 * MAX_EVENT_BYTES;

    /**
     * The largest {@code lamport_clock} accepted: 10^15, well below 2^53 (the largest integer every
     * JSON reader, JavaScript included, holds exactly), so {@code +1} never loses precision or wraps
     * in any reader. A million ticks a second would take 31 years to reach it. A client adopts a
     * pulled value only below it (so that its own next value is still one the server accepts).
     */
    public static final long MAX_LAMPORT_CLOCK = 1_000_000_000_000_000L;

    /** The years an event's timestamps may carry; anything else is a bug or an attack. */
    public static final int MIN_YEAR = 1970;
    public static final int MAX_YEAR = 9999;

    /**
     * The most bytes of event JSON a client puts in one batch before gzip: 2 MiB, so that even
     * incompressible events fit a server that accepts 4 MiB compressed.
     */
    public static final int MAX_BATCH_BYTES = 2 * 1024 * 1024;

    private EventLimits() {
    }
}
