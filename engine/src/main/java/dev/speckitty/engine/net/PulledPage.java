package dev.speckitty.engine.net;

import java.util.List;
import java.util.Optional;

/**
 * One page of {@code GET /api/v1/events/}, read with the streaming parser: each event keeps the
 * exact JSON the server sent plus the three members the puller needs before deciding whether to
 * parse it ({@link PulledEvent}). {@code nextCursor} is never null;
 * {@link ServerClient#pull} has checked that it is a cursor. {@code cursors} is each event's position
 * when the server told them (a page that left out the caller's own events), checked by
 * {@link ServerClient#pull} to be one increasing position per event up to {@code nextCursor}; empty
 * for a dense page (positions {@code after + 1, after + 2, …}).
 */
public record PulledPage(List<PulledEvent> events, String nextCursor, boolean hasMore, Optional<long[]> cursors) {
    public PulledPage {
        events = List.copyOf(events);
        cursors = cursors == null ? Optional.empty() : cursors;
    }

    /** A dense page. */
    public PulledPage(List<PulledEvent> events, String nextCursor, boolean hasMore) {
        this(events, nextCursor, hasMore, Optional.empty());
    }
}
