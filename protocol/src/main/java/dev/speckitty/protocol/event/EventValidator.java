package dev.speckitty.protocol.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks an event (as JSON, so that missing fields and wrong types are reported rather than thrown)
 * against the bounds of {@link EventLimits} (size, depth, text that can be stored exactly), then
 * against the table of its {@link Generation}: no {@code schema_version} means 2.x
 * ({@link Generation2Rules}), 3.x.y means 3.x ({@link Generation3Rules}), anything else is refused.
 * Returns every violation: the event-wide ones first, then the fields in order. Members no rule
 * names are neither checked nor removed. Stateless.
 */
public final class EventValidator {
    /** The largest {@code lamport_clock} accepted ({@link EventLimits#MAX_LAMPORT_CLOCK}). */
    public static final long MAX_LAMPORT_CLOCK = EventLimits.MAX_LAMPORT_CLOCK;

    private EventValidator() {
    }

    /** Every rule the event breaks; empty when it is valid. */
    public static List<Violation> validate(JsonNode event) {
        List<Violation> violations = new ArrayList<>();
        if (event == null || !event.isObject()) {
            violations.add(new Violation("event", "must be a JSON object (got " + (event == null ? "nothing" : event.getNodeType().name().toLowerCase(java.util.Locale.ROOT)) + ")"));
            return violations;
        }
        EventShape.check(event, violations);
        Object generation = Generation.of(event);
        if (generation instanceof Violation unknown) {
            violations.add(unknown);
            return violations;
        }
        Generation g = (Generation) generation;
        GenerationRules rules = g.rules();
        checkFields(event, rules.envelope(), "", violations);
        for (String forbidden : rules.forbiddenEnvelopeMembers()) {
            if (event.has(forbidden)) {
                violations.add(new Violation(forbidden, "is not an envelope member of a " + g.label()
                        + " event (expected: inside payload, as spec-kitty 3.x sends it)"));
            }
        }
        JsonNode type = event.get("event_type");
        if (type == null || !type.isTextual()) {
            return violations;
        }
        Optional<TypeRules> typeRules = rules.type(type.asText());
        if (typeRules.isEmpty()) {
            if (g != Generation.V2) { // the 2.x envelope rule already names the allowed types
                violations.add(new Violation("event_type", "'" + EnvelopeRules.clip(type.asText()) + "' is not a " + g.label()
                        + " event type (expected one of: " + String.join(", ", rules.typeNames()) + ")"));
            }
            return violations;
        }
        JsonNode payload = event.get("payload");
        if (payload != null && payload.isObject()) {
            checkPayload(payload, typeRules.get(), violations);
        }
        return violations;
    }

    /** The generation an envelope is judged by, or the reason it has none this code knows. */
    public static Optional<Generation> generationOf(JsonNode event) {
        return event != null && event.isObject() && Generation.of(event) instanceof Generation g ? Optional.of(g) : Optional.empty();
    }

    /** Validates only a 2.x payload against a type's rules, for callers that build the envelope themselves. */
    public static List<Violation> validatePayload(EventType type, JsonNode payload) {
        return validatePayload(Generation.V2, type.wireName(), payload);
    }

    /** Validates only a payload against the rules of {@code type} in {@code generation}. */
    public static List<Violation> validatePayload(Generation generation, String type, JsonNode payload) {
        List<Violation> violations = new ArrayList<>();
        Optional<TypeRules> rules = generation.rules().type(type);
        if (rules.isEmpty()) {
            violations.add(new Violation("event_type", "'" + EnvelopeRules.clip(type) + "' is not a " + generation.label()
                    + " event type (expected one of: " + String.join(", ", generation.rules().typeNames()) + ")"));
            return violations;
        }
        if (payload == null || !payload.isObject()) {
            violations.add(new Violation("payload", "must be a JSON object"));
            return violations;
        }
        checkPayload(payload, rules.get(), violations);
        return violations;
    }

    private static void checkPayload(JsonNode payload, TypeRules type, List<Violation> out) {
        checkFields(payload, type.fields(), "payload.", out);
        type.checkWhole(payload).ifPresent(p -> out.add(new Violation("payload", p)));
    }

    private static void checkFields(JsonNode object, List<PayloadField> fields, String prefix, List<Violation> out) {
        for (PayloadField field : fields) {
            JsonNode value = object.get(field.name());
            if (value == null || value.isNull()) {
                if (value == null && field.required()) {
                    out.add(new Violation(prefix + field.name(), "is required"));
                } else if (value != null && field.presence() == PayloadField.Presence.REQUIRED) {
                    out.add(new Violation(prefix + field.name(), "must not be null"));
                }
                continue;
            }
            Optional<String> problem = field.rule().check(value);
            problem.ifPresent(p -> out.add(new Violation(prefix + field.name(), p)));
        }
    }
}
