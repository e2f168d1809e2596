package dev.speckitty.protocol.control;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.json.JsonException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code POST /v1/events} body as it streams, within bounds the daemon must survive whatever
 * a client sends. The body's size is bounded before it is read (the control API's 32 MiB). Its tree
 * can be far larger than its bytes: {@code {}} is two bytes and a whole object in memory, and a
 * 31 MiB body of them ran the daemon out of its heap. So the reader stops at:
 * <ul>
 *   <li>more than {@link #MAX_EVENTS} events (an import sends parts of 5,000);</li>
 *   <li>nesting deeper than {@link #MAX_DEPTH};</li>
 *   <li>JSON values past what its {@link Budget} grants, taken {@link #BLOCK} at a time.</li>
 * </ul>
 * Fields other than {@code events} and {@code cwd} are skipped without being built. Thread-safe.
 */
public final class EnqueueRequestReader {
    /** Events in one request, at most. */
    public static final int MAX_EVENTS = 10_000;
    /** Nesting of the body, at most: far past what an event may have ({@code EventLimits.MAX_DEPTH}), so the rules say why an event is too deep. */
    public static final int MAX_DEPTH = 64;
    /** Values taken from the budget at a time. */
    public static final int BLOCK = 1024;

    /** Where a request's JSON values come from; {@link #take} throws when it grants no more. */
    public interface Budget {
        void take(int values);
    }

    private static final JsonFactory FACTORY = new JsonFactory();

    private final JsonParser p;
    private final Budget budget;
    private int untaken; // values built since the last take

    private EnqueueRequestReader(JsonParser p, Budget budget) {
        this.p = p;
        this.budget = budget;
    }

    /** The request in {@code body}; malformed JSON is a {@link JsonException}, one past a bound a {@link RequestTooLargeException} (or what {@code budget} throws). */
    public static EnqueueRequest read(byte[] body, Budget budget) {
        try (JsonParser p = FACTORY.createParser(body)) {
            return new EnqueueRequestReader(p, budget).request();
        } catch (IOException e) {
            throw new JsonException("malformed JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
    }

    private EnqueueRequest request() throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new JsonException("malformed request: expected a JSON object {\"events\": [...], \"cwd\": ...}", null);
        }
        List<JsonNode> events = null;
        String cwd = null;
        for (JsonToken f = p.nextToken(); f == JsonToken.FIELD_NAME; f = p.nextToken()) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("events")) {
                events = events(value);
            } else if (name.equals("cwd")) {
                if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
                    throw new JsonException("malformed request: cwd must be a string or null", null);
                }
                cwd = value == JsonToken.VALUE_NULL ? null : p.getText();
            } else {
                p.skipChildren(); // not ours: never built
            }
        }
        if (p.nextToken() != null) {
            throw new JsonException("malformed JSON: trailing content after the request", null);
        }
        if (untaken > 0) {
            budget.take(untaken);
        }
        return new EnqueueRequest(events, cwd);
    }

    private List<JsonNode> events(JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_ARRAY) {
            throw new JsonException("malformed request: events must be an array", null);
        }
        List<JsonNode> events = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
            if (events.size() == MAX_EVENTS) {
                throw new RequestTooLargeException("more than " + String.format("%,d", MAX_EVENTS) + " events in one request (expected: at most "
                        + String.format("%,d", MAX_EVENTS) + "; `spec-kitty events import` sends a file in parts of 5,000)");
            }
            events.add(TreeReader.read(p, e, 1, this::watch));
        }
        return events;
    }

    /** Each value taken from the budget, {@link #BLOCK} at a time, and an object or array past {@link #MAX_DEPTH} refused. */
    private void watch(JsonToken t, int depth) {
        if (++untaken == BLOCK) {
            budget.take(BLOCK);
            untaken = 0;
        }
        if ((t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) && depth > MAX_DEPTH) {
            deeper(depth);
        }
    }

    private static void deeper(int depth) {
        if (depth > MAX_DEPTH) {
            throw new RequestTooLargeException("an event nested deeper than " + MAX_DEPTH + " levels (expected: far fewer; an event's"
                    + " payload may nest " + dev.speckitty.protocol.event.EventLimits.MAX_DEPTH + ")");
        }
    }
}
