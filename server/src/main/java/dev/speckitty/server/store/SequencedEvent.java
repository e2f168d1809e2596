package dev.speckitty.server.store;

/**
 * A stored event: its position in its team's order, its JSON text as stored (sent on as it is), and
 * its {@code node_id} (null for events stored before the server kept it), which the fan-out compares
 * with a session's node so a client is not sent its own events.
 */
public record SequencedEvent(long sequence, String json, String nodeId) {
}
