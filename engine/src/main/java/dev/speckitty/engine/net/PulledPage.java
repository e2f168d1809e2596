package dev.speckitty.engine.net;

import java.util.List;

/**
 * One page of {@code GET /api/v1/events/}, read with the streaming parser: each event keeps the
 * exact JSON the server sent plus the three members the puller needs before deciding whether to
 * parse it ({@link PulledEvent}). {@code nextCursor} is never null;
 * {@link ServerClient#pull} has checked that it is a cursor.
 */
public record PulledPage(List<PulledEvent> events, String nextCursor, boolean hasMore) {
    public PulledPage {
        events = List.copyOf(events);
    }
}
