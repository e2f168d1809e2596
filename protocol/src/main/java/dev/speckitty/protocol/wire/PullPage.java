package dev.speckitty.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.speckitty.protocol.event.Event;
import java.util.List;

/**
 * {@code GET /api/v1/events/} answer: team events in server order. {@code nextCursor} is the cursor
 * of the last event in the page (or the {@code after} asked for when the page is empty); pass it as
 * {@code after} to continue.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PullPage(List<Event> events, String nextCursor, boolean hasMore) {
    public PullPage {
        events = events == null ? List.of() : events;
    }
}
