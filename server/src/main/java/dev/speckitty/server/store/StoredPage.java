package dev.speckitty.server.store;

import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.wire.PullPage;
import java.util.ArrayList;
import java.util.List;

/**
 * A page of a team's events as the store holds them: each event's JSON text, written by the server
 * itself when the event was validated. The pull endpoint sends it spliced, never re-encoded.
 */
public record StoredPage(List<String> eventsJson, String nextCursor, boolean hasMore) {
    public StoredPage {
        eventsJson = List.copyOf(eventsJson);
    }

    /** The {@code GET /api/v1/events/} answer body. */
    public byte[] json() {
        return PullPage.spliced(eventsJson, nextCursor, hasMore);
    }

    /** The page with its events parsed. */
    public PullPage parsed() {
        List<Event> events = new ArrayList<>(eventsJson.size());
        for (String e : eventsJson) {
            events.add(Json.read(e, Event.class));
        }
        return new PullPage(events, nextCursor, hasMore);
    }
}
