package dev.speckitty.protocol.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.json.Json;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one draft check: what the CLI refuses before sending is what the engine would not copy. */
class EventDraftsTest {
    private static final String PAYLOAD = "{\"wp_id\":\"WP01\",\"from_lane\":\"planned\",\"to_lane\":\"in_progress\"}";

    @Test
    void aDraftWithEveryFieldPasses() {
        ObjectNode draft = EventDrafts.draft("WPStatusChanged", "WP01", null, Json.tree(PAYLOAD));
        draft.put("causation_id", "01KAT0V6J8Q5R9S1T2V3W4X5Y6").put("project_uuid", "p").put("project_slug", "s");
        assertEquals("WorkPackage", draft.get("aggregate_type").asText(), "the 2.x default of the type");
        assertEquals(List.of(), EventDrafts.check(draft));
        List<String> names = new java.util.ArrayList<>();
        draft.fieldNames().forEachRemaining(names::add);
        assertTrue(EventDrafts.FIELDS.containsAll(names) && names.containsAll(EventDrafts.FIELDS), names.toString());
    }

    @Test
    void aFieldOutsideTheListIsRefusedByNameAndEveryOtherProblemIsListedToo() {
        JsonNode draft = Json.tree("{\"event_type\":\"NoSuchType\",\"aggregate_id\":\" \",\"payload\":[],\"team_slug\":\"t\","
                + "\"causation_id\":\"nope\"}");
        List<Violation> violations = EventDrafts.check(draft);
        List<String> fields = violations.stream().map(Violation::field).toList();
        assertEquals(List.of("event_type", "aggregate_id", "causation_id", "payload", "team_slug"), fields, violations.toString());
        assertTrue(violations.get(4).message().contains("a draft has only aggregate_id, aggregate_type, causation_id, event_type,"
                + " payload, project_slug, project_uuid"), violations.get(4).message());
        assertEquals(List.of(new Violation("event", "must be a JSON object")), EventDrafts.check(Json.tree("[1]")));
    }

    @Test
    void theDefaultAggregateTypeIsTheGenerationsFirst() {
        assertEquals(Optional.of("WorkPackage"), EventDrafts.defaultAggregateType("WPStatusChanged", Generation.V2));
        assertEquals(Optional.empty(), EventDrafts.defaultAggregateType("NoSuchType", Generation.V2));
        String v3 = Generation.V3.rules().typeNames().get(0);
        assertEquals(Optional.of(Generation.V3.rules().type(v3).get().aggregateTypes().get(0)),
                EventDrafts.defaultAggregateType(v3, Generation.V3));
    }
}
