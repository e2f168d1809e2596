package dev.speckitty.protocol.event;

/** One problem found in an event: the field (dotted path, e.g. {@code payload.to_lane}) and what is wrong with it. */
public record Violation(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
