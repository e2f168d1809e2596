package dev.speckitty.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.json.Utf8;
import dev.speckitty.server.store.ReceivedEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a batch body {@code {"events": [...]}} into its events, each with the exact text it had in
 * the body (whitespace, member order, number spelling and escapes as the client wrote them), so that
 * the server stores and serves what was sent. Each event's text is then parsed on its own, refusing
 * a member name given twice (the tree would keep one value, the text both). Stateless.
 */
final class BatchEvents {
    /** The body's shape, for messages. */
    static final String SHAPE = "{\"events\": [...]}";

    private static final JsonFactory FACTORY = Json.mapper().getFactory();
    private static final JsonFactory STRICT = Json.mapper().getFactory().copy()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());

    /** Why a body is not a batch; the message is the detail the 400 answer gives. */
    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** Too many events; the message is the 413's. */
    static final class TooMany extends RuntimeException {
        TooMany(String message) {
            super(message, null, false, false);
        }
    }

    private BatchEvents() {
    }

    /**
     * The events of a batch body, in order, at most {@code maxEvents}. Bytes that are not well-formed
     * UTF-8 are marked as {@code Json.treeMarkingMalformedUtf8} does, so the event holding them is refused.
     */
    static List<ReceivedEvent> split(byte[] body, int maxEvents) {
        if (Utf8.isWellFormed(body)) {
            return split(body, null, maxEvents);
        }
        return split(null, Utf8.decodeMarkingMalformed(body), maxEvents);
    }

    private static List<ReceivedEvent> split(byte[] bytes, String text, int maxEvents) {
        List<ReceivedEvent> events = new ArrayList<>();
        boolean seen = false;
        try (JsonParser p = bytes != null ? FACTORY.createParser(bytes) : FACTORY.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new Malformed("body: expected a JSON object " + SHAPE);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (!name.equals("events")) {
                    p.skipChildren();
                    continue;
                }
                if (seen) {
                    throw new Malformed("body: \"events\" given twice (expected: " + SHAPE + ")");
                }
                seen = true;
                if (value != JsonToken.START_ARRAY) {
                    throw new Malformed("body: \"events\" must be an array (expected: " + SHAPE + ")");
                }
                int count = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (++count > maxEvents) {
                        p.skipChildren(); // counted only, for the answer
                        continue;
                    }
                    long start = offset(p, true, bytes != null);
                    p.skipChildren();
                    long end = offset(p, false, bytes != null);
                    String source = bytes != null
                            ? new String(bytes, (int) start, (int) (end - start), StandardCharsets.UTF_8)
                            : text.substring((int) start, (int) end);
                    events.add(event(source));
                }
                if (count > maxEvents) {
                    throw new TooMany("events: " + count + " (expected: at most " + maxEvents + " per batch); split the upload");
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new Malformed("body: trailing content after the JSON object (expected: " + SHAPE + ")");
            }
        } catch (IOException e) {
            String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new Malformed("body: malformed JSON: " + Clip.of(m, 100));
        }
        if (!seen) {
            throw new Malformed("body: \"events\" must be an array (expected: " + SHAPE + ")");
        }
        return events;
    }

    /** Where the current token starts ({@code start}) or where the input stands just after it. */
    private static long offset(JsonParser p, boolean start, boolean bytes) {
        com.fasterxml.jackson.core.JsonLocation at = start ? p.currentTokenLocation() : p.currentLocation();
        return bytes ? at.getByteOffset() : at.getCharOffset();
    }

    /** One event read from its text; a member name given twice makes it unreadable. */
    private static ReceivedEvent event(String source) {
        try (JsonParser p = STRICT.createParser(source)) {
            return ReceivedEvent.parsed(Json.mapper().readTree(p), source);
        } catch (IOException e) {
            String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            return ReceivedEvent.unreadable(source, Clip.of(m, 100));
        }
    }
}
