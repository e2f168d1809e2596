package dev.speckitty.daemon.net;

import dev.speckitty.protocol.event.Event;

/**
 * One event of a pull page as the server sent it, not yet validated: its JSON text and, when they
 * are present with the right JSON types, {@code event_id}, {@code node_id} and {@code lamport_clock}
 * (else null, null and -1). {@link #parse} validates it like any event from the network.
 */
public record PulledEvent(String eventId, String nodeId, long lamportClock, String json) {
    /** Validates and parses the event; throws as {@link Event#parse(String)} does. */
    public Event parse() {
        return Event.parse(json);
    }
}
