package dev.speckitty.protocol.event;

import static dev.speckitty.protocol.event.FieldRule.matching;
import static dev.speckitty.protocol.event.FieldRule.nonNegativeInt;
import static dev.speckitty.protocol.event.FieldRule.object;
import static dev.speckitty.protocol.event.FieldRule.oneOf;
import static dev.speckitty.protocol.event.FieldRule.text;
import static dev.speckitty.protocol.event.FieldRule.utcTimestamp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks an event (as JSON, so that missing fields and wrong types are reported rather than thrown)
 * against the bounds of {@link EventLimits} (size, depth, text that can be stored exactly), the
 * envelope rules and its type's payload rules. Returns every violation: the event-wide ones first,
 * then the fields in order.
 */
public final class EventValidator {
    /** Envelope fields; required ones must be present and non-null, optional ones may be null. */
    private static final List<PayloadField> ENVELOPE = List.of(
            PayloadField.required("event_id", matching(Patterns.ULID, "01KAT0V6J8Q5R9S1T2V3W4X5Y6 (ULID)")),
            PayloadField.required("event_type", oneOf(EventType.wireNames())),
            PayloadField.required("aggregate_id", text()),
            PayloadField.required("aggregate_type", oneOf(AggregateType.wireNames())),
            PayloadField.required("payload", object()),
            PayloadField.required("node_id", matching(Patterns.NODE_ID, "b805cd5cee74")),
            PayloadField.required("lamport_clock", lamportClock()),
            PayloadField.optional("causation_id", ulidOrUuid()),
            PayloadField.required("timestamp", utcTimestamp()),
            PayloadField.required("team_slug", matching(Patterns.TEAM_SLUG, "team-a")),
            PayloadField.optional("project_uuid", matching(Patterns.UUID, "6f1c0a52-2f5e-4a8e-9d1e-0c3c6b1f2a11")),
            PayloadField.optional("project_slug", text()),
            PayloadField.optional("git_branch", text()),
            PayloadField.optional("head_commit_sha", matching(Patterns.GIT_SHA, "40 lowercase hex digits")),
            PayloadField.optional("repo_slug", text()));

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
        checkFields(event, ENVELOPE, "", violations);
        JsonNode payload = event.get("payload");
        JsonNode type = event.get("event_type");
        if (payload != null && payload.isObject() && type != null && type.isTextual()) {
            EventType.fromWire(type.asText())
                    .ifPresent(t -> checkFields(payload, t.fields(), "payload.", violations));
        }
        return violations;
    }

    /** Validates only a payload against a type's rules, for callers that build the envelope themselves. */
    public static List<Violation> validatePayload(EventType type, JsonNode payload) {
        List<Violation> violations = new ArrayList<>();
        if (payload == null || !payload.isObject()) {
            violations.add(new Violation("payload", "must be a JSON object"));
            return violations;
        }
        checkFields(payload, type.fields(), "payload.", violations);
        return violations;
    }

    /** The largest {@code lamport_clock} accepted ({@link EventLimits#MAX_LAMPORT_CLOCK}). */
    public static final long MAX_LAMPORT_CLOCK = EventLimits.MAX_LAMPORT_CLOCK;

    private static FieldRule lamportClock() {
        FieldRule integer = nonNegativeInt();
        return v -> integer.check(v).or(() -> v.asLong() > MAX_LAMPORT_CLOCK
                ? Optional.of(v.asLong() + " (expected: 0.." + MAX_LAMPORT_CLOCK + ")")
                : Optional.empty());
    }

    /** The Python tool links events by ULID, older ones by UUID; both are accepted. */
    private static FieldRule ulidOrUuid() {
        FieldRule either = matching(Patterns.ULID, "a ULID").or(matching(Patterns.UUID, "a UUID"));
        return v -> either.check(v).isEmpty()
                ? Optional.empty()
                : Optional.of((v.isTextual() ? "'" + clip(v.asText()) + "' is neither a ULID nor a UUID"
                                : "must be a string (got " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ")")
                        + " (expected: like 01KAT0V6J8Q5R9S1T2V3W4X5Y6 or 6f1c0a52-2f5e-4a8e-9d1e-0c3c6b1f2a11)");
    }

    private static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    private static void checkFields(JsonNode object, List<PayloadField> fields, String prefix, List<Violation> out) {
        for (PayloadField field : fields) {
            JsonNode value = object.get(field.name());
            if (value == null || value.isNull()) {
                if (field.required()) {
                    out.add(new Violation(prefix + field.name(), value == null ? "is required" : "must not be null"));
                }
                continue;
            }
            Optional<String> problem = field.rule().check(value);
            problem.ifPresent(p -> out.add(new Violation(prefix + field.name(), p)));
        }
    }
}
