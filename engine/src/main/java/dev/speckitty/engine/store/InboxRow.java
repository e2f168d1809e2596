package dev.speckitty.engine.store;

import dev.speckitty.protocol.event.Event;

/** One row of the inbox: the columns it is ordered and de-duplicated by, and the event's JSON. */
public record InboxRow(String eventId, long lamportClock, String nodeId, String json) {
    public static InboxRow of(Event event) {
        return new InboxRow(event.eventId(), event.lamportClock(), event.nodeId(), event.toJson());
    }
}
