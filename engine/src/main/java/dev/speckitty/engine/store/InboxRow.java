package dev.speckitty.engine.store;

import dev.speckitty.protocol.event.Event;

/**
 * One row of the inbox: the columns it is ordered and de-duplicated by, the event's JSON, and its
 * position in the team's server order ({@code position}, -1 when not known: the row is then stored
 * with the cursor the caller gives and holds no position).
 */
public record InboxRow(String eventId, long lamportClock, String nodeId, String json, long position) {
    /** A row whose position is not known. */
    public InboxRow(String eventId, long lamportClock, String nodeId, String json) {
        this(eventId, lamportClock, nodeId, json, -1);
    }

    public static InboxRow of(Event event) {
        return new InboxRow(event.eventId(), event.lamportClock(), event.nodeId(), event.toJson());
    }

    /** This row at {@code position} of the team's order. */
    public InboxRow at(long position) {
        return new InboxRow(eventId, lamportClock, nodeId, json, position);
    }
}
