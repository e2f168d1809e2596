package dev.speckitty.server.store;

import dev.speckitty.protocol.event.Event;

/** A stored event and its position in its team's order. */
public record SequencedEvent(long sequence, Event event) {
}
