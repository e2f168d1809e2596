package dev.speckitty.protocol.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * One event type of a generation's table: its wire name, the aggregate types it is recorded under (for
 * the documentation and for emitters; the validator checks {@code aggregate_type} against the
 * generation's set), its payload fields, and a rule on the payload as a whole (e.g. a size bound).
 */
public record TypeRules(String eventType, List<String> aggregateTypes, List<PayloadField> fields, FieldRule wholePayload) {
    public TypeRules {
        aggregateTypes = List.copyOf(aggregateTypes);
        fields = List.copyOf(fields);
    }

    /** A type without a whole-payload rule. */
    static TypeRules of(String eventType, List<String> aggregateTypes, List<PayloadField> fields) {
        return new TypeRules(eventType, aggregateTypes, fields, v -> Optional.empty());
    }

    /** The payload's problem as a whole, if any. */
    Optional<String> checkWhole(JsonNode payload) {
        return wholePayload.check(payload);
    }
}
