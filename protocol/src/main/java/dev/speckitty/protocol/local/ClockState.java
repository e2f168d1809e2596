package dev.speckitty.protocol.local;

/** The contents of {@code clock.json}: the last value handed out, this node's id, and when it changed. */
public record ClockState(long value, String nodeId, String updatedAt) {
}
