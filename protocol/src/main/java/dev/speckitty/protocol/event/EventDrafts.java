package dev.speckitty.protocol.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Drafts: what a caller of the control API may send instead of a complete envelope,
 * {@code {event_type, aggregate_id, aggregate_type?, payload, causation_id?, project_uuid?, project_slug?}},
 * which the engine completes (id, clock, node, team, git context). The one list of draft fields and
 * the one check, used by the CLI before it sends and by the engine when it completes. Stateless.
 */
public final class EventDrafts {
    /** Every field a draft may have, in envelope order; the engine copies these and nothing else. */
    public static final List<String> FIELDS = List.of(
            "event_type", "aggregate_id", "aggregate_type", "payload", "causation_id", "project_uuid", "project_slug");
    private static final Set<String> DRAFT_FIELDS = Set.copyOf(FIELDS);

    private EventDrafts() {
    }

    /** A draft for one event, as {@code events emit} builds it. */
    public static ObjectNode draft(String eventType, String aggregateId, String aggregateType, JsonNode payload) {
        return draft(eventType, aggregateId, aggregateType, payload, Generation.V2);
    }

    /** A draft for one event of {@code generation} (its aggregate type defaults to that generation's for the type). */
    public static ObjectNode draft(String eventType, String aggregateId, String aggregateType, JsonNode payload,
            Generation generation) {
        ObjectNode draft = JsonNodeFactory.instance.objectNode();
        draft.put("event_type", eventType);
        draft.put("aggregate_id", aggregateId);
        if (aggregateType != null) {
            draft.put("aggregate_type", aggregateType);
        } else {
            Optional<String> fallback = defaultAggregateType(eventType, generation);
            if (fallback.isPresent()) {
                draft.put("aggregate_type", fallback.get());
            }
        }
        draft.set("payload", payload);
        return draft;
    }

    /** The aggregate type a draft of {@code eventType} gets when it names none; empty for a type {@code generation} does not know. */
    public static Optional<String> defaultAggregateType(String eventType, Generation generation) {
        // Plain code, no lambdas: events emit runs this, and a short run pays for each lambda's bootstrap.
        if (generation == Generation.V2) {
            Optional<EventType> type = EventType.fromWire(eventType);
            return type.isPresent() ? Optional.of(type.get().defaultAggregateType().wireName()) : Optional.empty();
        }
        Optional<TypeRules> type = generation.rules().type(eventType);
        return type.isPresent() ? Optional.of(type.get().aggregateTypes().get(0)) : Optional.empty();
    }

    /** Every rule the draft or envelope breaks; empty when it can be queued. */
    public static List<Violation> check(JsonNode event) {
        return check(event, Generation.V2);
    }

    /**
     * {@link #check(JsonNode)} with a draft judged by the rules of {@code generation} (the daemon
     * completes it in that generation); a complete envelope is judged by its own.
     */
    public static List<Violation> check(JsonNode event, Generation generation) {
        if (event == null || !event.isObject()) {
            return List.of(new Violation("event", "must be a JSON object"));
        }
        if (event.has("event_id")) {
            return EventValidator.validate(event);
        }
        List<Violation> violations = new ArrayList<>();
        JsonNode type = event.get("event_type");
        String eventType = null;
        if (type == null || type.isNull()) {
            violations.add(new Violation("event_type", "is required"));
        } else if (!type.isTextual() || generation.rules().type(type.asText()).isEmpty()) {
            violations.add(new Violation("event_type", "unknown event type " + type + " (expected one of the " + generation.label()
                    + " types: " + String.join(", ", generation.rules().typeNames()) + ")"));
        } else {
            eventType = type.asText();
        }
        JsonNode aggregate = event.get("aggregate_id");
        if (aggregate == null || aggregate.isNull()) {
            violations.add(new Violation("aggregate_id", "is required"));
        } else if (!aggregate.isTextual() || aggregate.asText().isBlank()) {
            violations.add(new Violation("aggregate_id", "must be a non-empty string"));
        }
        JsonNode aggregateType = event.get("aggregate_type");
        List<String> aggregates = generation == Generation.V2 ? AggregateType.wireNames() : aggregateTypes(generation);
        if (aggregateType != null && !aggregateType.isNull()
                && (!aggregateType.isTextual() || !aggregates.contains(aggregateType.asText()))) {
            violations.add(new Violation("aggregate_type", "must be one of " + String.join(", ", aggregates)
                    + " (got " + aggregateType + ")"));
        }
        JsonNode causation = event.get("causation_id");
        if (causation != null && !causation.isNull() && !(causation.isTextual()
                && (Patterns.matches(Patterns.ULID, causation.asText()) || Patterns.matches(Patterns.UUID, causation.asText())))) {
            violations.add(new Violation("causation_id", "must be a ULID or a UUID (got " + causation + ")"));
        }
        JsonNode payload = event.get("payload");
        if (payload == null || payload.isNull()) {
            violations.add(new Violation("payload", "is required"));
        } else if (!payload.isObject()) {
            violations.add(new Violation("payload", "must be a JSON object"));
        } else if (eventType != null) {
            violations.addAll(EventValidator.validatePayload(generation, eventType, payload));
        }
        event.fieldNames().forEachRemaining(name -> {
            if (!DRAFT_FIELDS.contains(name)) {
                violations.add(new Violation(name, "is not a draft field (a complete envelope needs event_id; a draft has only "
                        + String.join(", ", new java.util.TreeSet<>(FIELDS)) + ")"));
            }
        });
        return violations;
    }

    private static List<String> aggregateTypes(Generation generation) {
        return generation.rules().types().values().stream().flatMap(t -> t.aggregateTypes().stream()).distinct().toList();
    }
}
