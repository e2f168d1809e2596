package dev.speckitty.engine.sync;

import dev.speckitty.engine.store.InboxIssue;
import dev.speckitty.engine.store.InboxRow;
import dev.speckitty.protocol.event.EventLimits;

/**
 * A teammate's event (pulled or live) whose {@code lamport_clock} the local clock must not adopt (at
 * or past {@link EventLimits#MAX_LAMPORT_CLOCK}: our next value could not be sent): it is kept in the
 * inbox, logged, and recorded for {@code sync status}. Stateless.
 */
public final class PeerClocks {
    private static final System.Logger LOG = System.getLogger(PeerClocks.class.getName());

    private PeerClocks() {
    }

    /** Logs the event and answers the issue to record with it; {@code via} says where it came from. */
    public static InboxIssue notAdopted(String via, InboxRow row, String cursor) {
        String reason = "lamport_clock " + row.lamportClock() + " (expected: below " + EventLimits.MAX_LAMPORT_CLOCK
                + ", the ceiling the server accepts): kept in the inbox; it did not move the clock";
        LOG.log(System.Logger.Level.WARNING, via + ": event " + row.eventId() + " of node " + row.nodeId() + " at cursor " + cursor + " has " + reason);
        return new InboxIssue(InboxIssue.Kind.CLOCK_NOT_ADOPTED, row.eventId(), cursor, row.lamportClock(), reason);
    }
}
