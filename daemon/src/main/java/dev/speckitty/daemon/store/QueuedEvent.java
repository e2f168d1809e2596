package dev.speckitty.daemon.store;

/** One row of the Python-compatible {@code queue} table as read for upload; {@code data} is the event's JSON. */
public record QueuedEvent(long id, String eventId, String eventType, String data, long timestamp, int retryCount) {
    /** This row's place in drain order. */
    public DrainPosition position() {
        return new DrainPosition(timestamp, id);
    }
}
