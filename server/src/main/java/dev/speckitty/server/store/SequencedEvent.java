package dev.speckitty.server.store;

/** A stored event: its position in its team's order and its JSON text as stored (sent on as it is). */
public record SequencedEvent(long sequence, String json) {
}
