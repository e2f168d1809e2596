package dev.speckitty.protocol.local;

import dev.speckitty.protocol.event.EventLimits;
import java.nio.file.Path;

/**
 * A local event would take the Lamport clock past {@link EventLimits#MAX_LAMPORT_CLOCK}, the highest
 * value the server accepts: the event is not stamped (and so not queued) rather than queued to be
 * refused for ever. Only a clock file set by hand near the ceiling gets here; a peer's value at or
 * past it is never adopted, and a value past it is repaired when the daemon starts.
 */
public final class ClockCeilingException extends IllegalStateException {
    public ClockCeilingException(Path file, long value, long events) {
        super(value > EventLimits.MAX_LAMPORT_CLOCK
                ? "the Lamport clock in " + file + " is at " + value + ", past " + EventLimits.MAX_LAMPORT_CLOCK
                        + " (expected: lamport_clock at most " + EventLimits.MAX_LAMPORT_CLOCK + ", the highest the server accepts;"
                        + " an older version adopted a peer's value); nothing was queued. Start the daemon (`spec-kitty daemon start`,"
                        + " or `daemon restart`): it repairs the clock from the queue and the inbox. Then try again"
                : "the Lamport clock in " + file + " is at " + value + ": " + events + " more event(s) would pass "
                        + EventLimits.MAX_LAMPORT_CLOCK + " (expected: lamport_clock at most " + EventLimits.MAX_LAMPORT_CLOCK
                        + ", the highest the server accepts); nothing was queued. Stop the daemon, lower \"value\" in that file"
                        + " to the highest clock your events use (`spec-kitty events list`), and try again");
    }
}
