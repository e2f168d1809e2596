package dev.speckitty.daemon.sync;

import dev.speckitty.daemon.store.InboxIssue;
import dev.speckitty.daemon.store.InboxRow;
import dev.speckitty.protocol.event.EventLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A teammate's event (pulled or live) whose {@code lamport_clock} the local clock must not adopt (at
 * or past {@link EventLimits#MAX_LAMPORT_CLOCK}: our next value could not be sent): it is kept in the
 * inbox, logged, and recorded for {@code sync status}. Stateless.
 */
final class PeerClocks {
    private static final Logger LOG = LoggerFactory.getLogger(PeerClocks.class);

    private PeerClocks() {
    }

    /** Logs the event and answers the issue to record with it; {@code via} says where it came from. */
    static InboxIssue notAdopted(String via, InboxRow row, String cursor) {
        String reason = "lamport_clock " + row.lamportClock() + " (expected: below " + EventLimits.MAX_LAMPORT_CLOCK
                + ", the ceiling the server accepts): kept in the inbox; it did not move the clock";
        LOG.warn("{}: event {} of node {} at cursor {} has {}", via, row.eventId(), row.nodeId(), cursor, reason);
        return new InboxIssue(InboxIssue.Kind.CLOCK_NOT_ADOPTED, row.eventId(), cursor, row.lamportClock(), reason);
    }
}
