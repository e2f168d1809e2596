package dev.speckitty.protocol.event;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules of one schema generation as data: the envelope's fields, the members that must not be at
 * the envelope's top level, and every event type with its payload fields. Immutable.
 */
public record GenerationRules(String name, List<PayloadField> envelope, List<String> forbiddenEnvelopeMembers,
        Map<String, TypeRules> types) {
    public GenerationRules {
        envelope = List.copyOf(envelope);
        forbiddenEnvelopeMembers = List.copyOf(forbiddenEnvelopeMembers);
        types = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(types));
    }

    /** The rules of an event type of this generation, if it has one of that name. */
    public Optional<TypeRules> type(String eventType) {
        return Optional.ofNullable(types.get(eventType));
    }

    /** The event type names, in the table's order. */
    public List<String> typeNames() {
        return List.copyOf(types.keySet());
    }

    static Map<String, TypeRules> index(List<TypeRules> types) {
        Map<String, TypeRules> m = new LinkedHashMap<>();
        for (TypeRules t : types) {
            if (m.put(t.eventType(), t) != null) {
                throw new IllegalStateException("event type " + t.eventType() + " listed twice");
            }
        }
        return m;
    }
}
