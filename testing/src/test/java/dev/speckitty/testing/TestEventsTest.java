package dev.speckitty.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.speckitty.protocol.event.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestEventsTest {
    @Test
    void theBuilderWritesTheFullEnvelopeAsTheQueueHoldsIt() {
        String expected = "{\"event_id\":\"01KAT0V6J8Q5R9S1T2V3W4X5Y6\",\"event_type\":\"WPStatusChanged\",\"aggregate_id\":\"WP07\","
                + "\"aggregate_type\":\"WorkPackage\",\"payload\":{\"wp_id\":\"WP07\",\"from_lane\":\"planned\",\"to_lane\":\"nowhere\"},"
                + "\"node_id\":\"b805cd5cee74\",\"lamport_clock\":1,\"causation_id\":null,\"timestamp\":\"2026-11-25T10:00:00+00:00\","
                + "\"team_slug\":\"team-a\",\"project_uuid\":null,\"project_slug\":null,\"git_branch\":null,\"head_commit_sha\":null,"
                + "\"repo_slug\":null}";
        assertEquals(expected, TestEvents.builder().id("01KAT0V6J8Q5R9S1T2V3W4X5Y6").aggregate("WP07")
                .payload(TestEvents.statusPayload("WP07", "nowhere")).timestamp("2026-11-25T10:00:00+00:00").json());
    }

    @Test
    void theDefaultsAreAValidEventAndANoteEscapesItsContent() {
        Event e = TestEvents.builder().build();
        assertEquals(e, Event.parse(e.toJson()));
        Event note = TestEvents.builder().note("say \"hi\"\n").clock(7).build();
        assertEquals("say \"hi\"\n", Event.parse(note.toJson()).payload().get("entry_content").asText());
        assertEquals(7, note.lamportClock());
    }

    @Test
    void noteDraftsAreNdjsonLinesNumberedFromTheFirst() {
        assertEquals("{\"event_type\":\"HistoryAdded\",\"aggregate_id\":\"WP01\",\"payload\":{\"wp_id\":\"WP01\",\"entry_type\":\"note\","
                + "\"entry_content\":\"n3\"}}\n{\"event_type\":\"HistoryAdded\",\"aggregate_id\":\"WP01\",\"payload\":{\"wp_id\":\"WP01\","
                + "\"entry_type\":\"note\",\"entry_content\":\"n4\"}}\n", TestEvents.ndjson(TestEvents.noteDrafts("n", 3, 2)));
    }

    @Test
    void predictableIdsSortWithTheirNumberAndFreshOnesDiffer() {
        List<Event> many = TestEvents.many(9, 3);
        assertEquals(List.of(TestEvents.id(9), TestEvents.id(10), TestEvents.id(11)), many.stream().map(Event::eventId).toList());
        assertEquals(26, TestEvents.id(10).length());
        assertNotEquals(TestEvents.fresh("team-b").get("event_id"), TestEvents.fresh("team-b").get("event_id"));
        assertEquals("team-b", Event.parse(TestEvents.fresh("team-b")).teamSlug());
    }
}
