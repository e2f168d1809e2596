package dev.speckitty.protocol.event;

/** One payload field of an event type: its name, whether it must be present, and its rule. */
public record PayloadField(String name, boolean required, FieldRule rule) {
    static PayloadField required(String name, FieldRule rule) {
        return new PayloadField(name, true, rule);
    }

    static PayloadField optional(String name, FieldRule rule) {
        return new PayloadField(name, false, rule);
    }
}
