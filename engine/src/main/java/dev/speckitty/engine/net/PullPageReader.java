package dev.speckitty.engine.net;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.speckitty.protocol.event.EventLimits;
import dev.speckitty.protocol.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a pull answer {@code {"events": [...], "cursors"?, "next_cursor", "has_more"}} in one streaming pass:
 * each event object is cut out of the body as the server wrote it, and only its {@code event_id},
 * {@code node_id} and {@code lamport_clock} are read. Unknown members are skipped. Stateless.
 */
final class PullPageReader {
    private PullPageReader() {
    }

    /**
     * @throws IOException when the body is not JSON
     * @throws IllegalArgumentException when it is JSON of another shape
     */
    static PulledPage read(byte[] body) throws IOException {
        List<PulledEvent> events = new ArrayList<>();
        String next = null;
        boolean hasMore = false;
        List<Long> cursors = null;
        try (JsonParser p = Json.mapper().getFactory().createParser(body)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, "expected a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "events" -> {
                        expect(value == JsonToken.START_ARRAY, "\"events\" must be an array");
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            events.add(event(p, body));
                        }
                    }
                    case "next_cursor" -> next = value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NUMBER_INT
                            ? p.getText() : null;
                    case "has_more" -> hasMore = value == JsonToken.VALUE_TRUE;
                    case "cursors" -> {
                        expect(value == JsonToken.START_ARRAY, "\"cursors\" must be an array");
                        cursors = new ArrayList<>();
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            expect(p.currentToken() == JsonToken.VALUE_STRING || p.currentToken() == JsonToken.VALUE_NUMBER_INT,
                                    "\"cursors\" must hold cursors");
                            cursors.add(dev.speckitty.protocol.wire.Cursor.parse(p.getText()));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            expect(p.currentToken() == JsonToken.END_OBJECT && p.nextToken() == null, "trailing content after the object");
        }
        expect(next != null, "no next_cursor in the answer");
        return new PulledPage(events, next, hasMore,
                cursors == null ? java.util.Optional.empty() : java.util.Optional.of(cursors.stream().mapToLong(Long::longValue).toArray()));
    }

    /** One element of {@code events}, the parser on its first token; leaves the parser on its last. */
    private static PulledEvent event(JsonParser p, byte[] body) throws IOException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return pulled(null, null, -1, body, start, p);
        }
        String id = null;
        String node = null;
        long lamport = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.VALUE_STRING && name.equals("event_id")) {
                id = p.getText();
            } else if (value == JsonToken.VALUE_STRING && name.equals("node_id")) {
                node = p.getText();
            } else if (value == JsonToken.VALUE_NUMBER_INT && name.equals("lamport_clock")
                    && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                lamport = p.getLongValue();
            } else {
                p.skipChildren();
            }
        }
        return pulled(id, node, lamport, body, start, p);
    }

    /** The event from {@code start} to the end of the parser's current token; as text only when it is not oversized. */
    private static PulledEvent pulled(String id, String node, long lamport, byte[] body, int start, JsonParser p) {
        int bytes = (int) p.currentLocation().getByteOffset() - start;
        String json = bytes > EventLimits.MAX_EVENT_BYTES ? null : new String(body, start, bytes, StandardCharsets.UTF_8);
        return new PulledEvent(id, node, lamport, json, bytes);
    }

    private static void expect(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(problem);
        }
    }
}
