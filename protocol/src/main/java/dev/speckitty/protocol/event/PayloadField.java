package dev.speckitty.protocol.event;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.json.Json;
import java.util.Optional;

/**
 * One field of an envelope or payload in a generation's table: its name, whether it must be present
 * (and may then be null), its rule, and, where the table gives them, a value the rule accepts and one
 * it refuses (the tests run both for every field that has them).
 */
public record PayloadField(String name, Presence presence, FieldRule rule, Optional<Examples> examples) {
    /** How a field may be missing or null. */
    public enum Presence {
        /** Present and not null. */
        REQUIRED,
        /** Present, but null is a value (e.g. 3.x {@code MissionCreated.mission_number}). */
        REQUIRED_NULLABLE,
        /** May be missing or null; checked only when it holds a value. */
        OPTIONAL
    }

    /** A value the field's rule accepts and one it refuses. */
    public record Examples(JsonNode accepted, JsonNode refused) {
    }

    /** Whether the field must be present. */
    public boolean required() {
        return presence != Presence.OPTIONAL;
    }

    static PayloadField required(String name, FieldRule rule) {
        return new PayloadField(name, Presence.REQUIRED, rule, Optional.empty());
    }

    static PayloadField optional(String name, FieldRule rule) {
        return new PayloadField(name, Presence.OPTIONAL, rule, Optional.empty());
    }

    /** A field with its examples, each given as JSON text. */
    static PayloadField of(Presence presence, String name, FieldRule rule, String accepted, String refused) {
        return new PayloadField(name, presence, rule, Optional.of(new Examples(Json.tree(accepted), Json.tree(refused))));
    }
}
