package dev.speckitty.engine.net;

import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.event.EventLimits;

/**
 * One event of a pull page as the server sent it, not yet validated: its JSON text and, when they
 * are present with the right JSON types, {@code event_id}, {@code node_id} and {@code lamport_clock}
 * (else null, null and -1). {@code bytes} is its size as sent; an event larger than
 * {@link EventLimits#MAX_EVENT_BYTES} is not kept as text ({@code json} is null, see {@link #oversized}).
 * {@link #parse} validates it like any event from the network.
 */
public record PulledEvent(String eventId, String nodeId, long lamportClock, String json, int bytes) {
    /** An event with its text. */
    public PulledEvent(String eventId, String nodeId, long lamportClock, String json) {
        this(eventId, nodeId, lamportClock, json, json.length());
    }

    /** Larger than any event may be: it is recorded and skipped, never parsed. */
    public boolean oversized() {
        return json == null;
    }

    /** Validates and parses the event; throws as {@link Event#parse(String)} does. */
    public Event parse() {
        return Event.parse(json);
    }
}
