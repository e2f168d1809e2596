package dev.speckitty.protocol.control;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Pulled (or live) events the daemon could not take as they came, so {@code sync status} can say so:
 * events kept in the inbox whose {@code lamport_clock} was at or past the ceiling and so did not move
 * the local clock, and events skipped (too large, or invalid) so the cursor could move on. Each with
 * a count and the last one seen; {@code last…} is null when the count is 0.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record InboxIssues(long clockNotAdopted, Issue lastClockNotAdopted, long skipped, Issue lastSkipped) {
    /** None of either kind. */
    public static final InboxIssues NONE = new InboxIssues(0, null, 0, null);

    /**
     * One such event: its id (null when it was too large to read), its cursor (server position),
     * its {@code lamport_clock} (null when unknown), why, and when it was seen (ISO-8601).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Issue(String eventId, String cursor, Long lamportClock, String reason, String at) {
    }

    public boolean any() {
        return clockNotAdopted > 0 || skipped > 0;
    }
}
