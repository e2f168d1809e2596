package dev.speckitty.engine.store;

import java.util.Locale;

/**
 * A pulled (or live) event the puller could not take as it came, recorded with the cursor move that
 * passed it (see {@link dev.speckitty.protocol.control.InboxIssues}). {@code eventId} is null when the
 * event was too large to read, {@code lamportClock} when it was unknown.
 */
public record InboxIssue(Kind kind, String eventId, String cursor, Long lamportClock, String reason) {
    /** What happened to the event. */
    public enum Kind {
        /** Stored in the inbox; its {@code lamport_clock} is at or past the ceiling, so the clock did not adopt it. */
        CLOCK_NOT_ADOPTED,
        /** Not stored (too large, or invalid); the cursor moved past it. */
        SKIPPED;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
