package dev.speckitty.protocol.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.testing.PythonFixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The envelope record against events the Python tool queued, and its JSON round trip. */
class EventTest {
    private static List<String> pythonEvents() {
        return PythonFixtures.text("events.ndjson").lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void everyEventThePythonToolQueuedIsValid() {
        List<String> lines = pythonEvents();
        assertEquals(3, lines.size());
        List<String> types = new ArrayList<>();
        for (String line : lines) {
            assertEquals(List.of(), EventValidator.validate(Json.tree(line)), line);
            types.add(Event.parse(line).eventType());
        }
        assertEquals(List.of("WPStatusChanged", "HistoryAdded", "FeatureCreated"), types);
    }

    @Test
    void parseBuildsWhatDatabindBuilds() {
        List<JsonNode> events = new ArrayList<>();
        pythonEvents().forEach(line -> events.add(Json.tree(line)));
        for (EventType type : EventType.values()) {
            events.add(EventSamples.event(type.wireName()));
        }
        for (JsonNode json : events) {
            assertEquals(Json.convert(json, Event.class), Event.parse(json), json.toString());
        }
    }

    @Test
    void pythonEventFieldsAreRead() {
        Event e = Event.parse(pythonEvents().get(0));
        assertEquals("01KAT0V6J8Q5R9S1T2V3W4X5Y6", e.eventId());
        assertEquals("WP01", e.aggregateId());
        assertEquals("WorkPackage", e.aggregateType());
        assertEquals("in_progress", e.payload().get("to_lane").asText());
        assertEquals("b805cd5cee74", e.nodeId());
        assertEquals(40, e.lamportClock());
        assertNull(e.causationId());
        assertTrue(e.causation().isEmpty());
        assertEquals("2026-11-24T10:00:00+00:00", e.timestamp());
        assertEquals("team-a", e.teamSlug());
        assertEquals("6f1c0a52-2f5e-4a8e-9d1e-0c3c6b1f2a11", e.projectUuid());
        assertEquals("offline-sync", e.projectSlug());
        assertEquals("main", e.gitBranch());
        assertEquals("3f1e2d4c5b6a79808f7e6d5c4b3a291807f6e5d4", e.headCommitSha());
        assertEquals("acme/offline-sync", e.repo().orElseThrow());
    }

    @Test
    void toJsonReadsBackEqualAndKeepsThePythonFieldsAndOrder() {
        for (String line : pythonEvents()) {
            Event event = Event.parse(line);
            String json = event.toJson();
            assertEquals(event, Event.parse(json));
            // Same members, same values, same order as the Python tool wrote (it only adds spaces).
            assertEquals(Json.tree(line), Json.tree(json));
            assertEquals(fieldNames(Json.tree(line)), fieldNames(Json.tree(json)));
        }
    }

    /** toJson writes by hand; databind's record serializer is the oracle, character for character. */
    @Test
    void toJsonWritesWhatDatabindWrites() {
        List<Event> events = new ArrayList<>();
        pythonEvents().forEach(line -> events.add(Event.parse(line)));
        for (EventType type : EventType.values()) {
            Event e = Event.parse(EventSamples.event(type.wireName()));
            events.add(e);
            events.add(new Event(e.eventId(), e.eventType(), e.aggregateId(), e.aggregateType(), e.payload(), e.nodeId(),
                    Long.MAX_VALUE, null, e.timestamp(), e.teamSlug(), null, null, null, null, null));
        }
        ObjectNode odd = Json.object();
        odd.put("quote\"and\\slash", "line\nbreak\ttab \u0001 \u00e9\u4e2d \ud83d\ude00 </script>");
        odd.putArray("list").add(1).add(2.5).add(-0.0).add(12345678901234L).add(true).addNull().addObject();
        odd.put("big", new java.math.BigDecimal("1e400")).put("int", new java.math.BigInteger("123456789012345678901234567890"));
        odd.putObject("empty");
        odd.putArray("none");
        events.add(new Event("01KAT0V6J8Q5R9S1T2V3W4X5Y6", "HistoryAdded", "WP \"01\"", "WorkPackage", odd, "b805cd5cee74", 0,
                "01KAT0V6J8Q5R9S1T2V3W4X5Y7", "2026-11-24T10:00:00+00:00", "t\u00e9am", "u", "s", "feature/\u00e9", "sha", "o/r"));
        events.add(new Event(null, null, null, null, null, null, 0, null, null, null, null, null, null, null, null));
        for (Event e : events) {
            assertEquals(Json.write(e), e.toJson());
        }
    }

    @Test
    void nullFieldsAreWrittenAsNull() {
        ObjectNode json = EventSamples.event("WPStatusChanged");
        json.remove("repo_slug");
        json.remove("causation_id");
        JsonNode written = Json.tree(Event.parse(json).toJson());
        assertTrue(written.has("repo_slug") && written.get("repo_slug").isNull());
        assertTrue(written.has("causation_id") && written.get("causation_id").isNull());
    }

    @Test
    void withersChangeOneField() {
        Event e = Event.parse(EventSamples.event("HistoryAdded"));
        Event moved = e.withLamportClock(99).withTeamSlug("team-b");
        assertEquals(99, moved.lamportClock());
        assertEquals("team-b", moved.teamSlug());
        assertEquals(e.eventId(), moved.eventId());
        assertEquals(e.payload(), moved.payload());
        assertEquals(e.toTree().without(List.of("lamport_clock", "team_slug")),
                moved.toTree().without(List.of("lamport_clock", "team_slug")));
    }

    @Test
    void totalOrderIsClockThenNodeThenId() {
        Event base = Event.parse(EventSamples.event("HistoryAdded"));
        Event a = base.withLamportClock(5);
        Event b = Event.parse(EventSamples.event("HistoryAdded").put("lamport_clock", 5).put("node_id", "c000000000000"));
        Event c = Event.parse(EventSamples.event("HistoryAdded").put("lamport_clock", 5).put("node_id", "c000000000000")
                .put("event_id", "01KAT0V6J9A1B2C3D4E5F6G7H8"));
        Event d = base.withLamportClock(6);
        Event e = base.withLamportClock(40).withTeamSlug("team-b");
        List<Event> shuffled = new ArrayList<>(List.of(e, d, c, b, a));
        shuffled.sort(Event.TOTAL_ORDER);
        assertEquals(List.of(a, b, c, d, e), shuffled);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
