package dev.speckitty.engine.store;

/**
 * One row of the Python-compatible {@code queue} table as read for upload; {@code data} is the
 * event's JSON. {@code aggregateId} (null when the JSON has no string one) and {@code localTeam}
 * (its {@code team_slug} is {@code local}, or it is a 3.x envelope recorded without a team or with a
 * {@code drain_blocked_reason}: routed to the logged-in team at upload) are read from {@code data} by SQLite with the row, so
 * the upload path never parses the JSON itself; so are {@code lamport} (-1 when the JSON has no
 * integer {@code lamport_clock}) and {@code nodeId} (null when it has no string one), which an
 * acknowledged row is held in the inbox with.
 */
public record QueuedEvent(long id, String eventId, String eventType, String data, long timestamp, int retryCount,
                          String aggregateId, boolean localTeam, long lamport, String nodeId) {
    /** This row's place in drain order. */
    public DrainPosition position() {
        return new DrainPosition(timestamp, id);
    }
}
