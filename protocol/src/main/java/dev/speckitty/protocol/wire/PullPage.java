package dev.speckitty.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.json.Json;
import java.nio.charset.StandardCharsets;
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

    /**
     * The same answer as JSON bytes, built from events that are already JSON text (as a server
     * stores them): spliced, not parsed and re-serialised. Each element must be one JSON object.
     */
    public static byte[] spliced(List<String> eventsJson, String nextCursor, boolean hasMore) {
        return spliced(eventsJson, null, nextCursor, hasMore);
    }

    /**
     * {@link #spliced(List, String, boolean)} with a {@code cursors} member after {@code events}: each
     * event's own position, in the same order, when {@code cursors} is not null (a page that skipped
     * the caller's own events, so positions are no longer implied by {@code after}).
     */
    public static byte[] spliced(List<String> eventsJson, long[] cursors, String nextCursor, boolean hasMore) {
        int size = 64 + (cursors == null ? 0 : 12 * cursors.length);
        for (String e : eventsJson) {
            size += e.length() + 1;
        }
        StringBuilder json = new StringBuilder(size).append("{\"events\":[");
        for (int i = 0; i < eventsJson.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append(eventsJson.get(i));
        }
        json.append(']');
        if (cursors != null) {
            json.append(",\"cursors\":[");
            for (int i = 0; i < cursors.length; i++) {
                json.append(i > 0 ? ",\"" : "\"").append(cursors[i]).append('"');
            }
            json.append(']');
        }
        json.append(",\"next_cursor\":").append(Json.write(nextCursor)).append(",\"has_more\":").append(hasMore).append('}');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }
}
