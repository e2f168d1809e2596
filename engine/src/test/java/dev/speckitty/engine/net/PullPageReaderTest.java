package dev.speckitty.engine.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.testing.TestEvents;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PullPageReaderTest {
    private static PulledPage read(String body) throws IOException {
        return PullPageReader.read(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void eachEventIsCutOutAsSentAndParsesToTheSameEvent() throws IOException {
        Event a = TestEvents.note(7, "WP01", "aaaaaaaaaaaa");
        Event b = TestEvents.event(8, "HistoryAdded", "WP02", "bbbbbbbbbbbb",
                "{\"wp_id\":\"WP02\",\"entry_type\":\"note\",\"entry_content\":\"ü ✓ \\\"quoted\\\" }\"}");
        // Spaces, a member order of its own and unknown members, as another server might write them.
        String bJson = " {\"x\": [1, {\"event_id\": \"nested\"}], " + b.toJson().substring(1);
        PulledPage page = read("{\"has_more\": true, \"extra\": {\"a\": [1]}, \"events\": [" + a.toJson() + "," + bJson
                + "], \"next_cursor\": \"42\"}");
        assertEquals("42", page.nextCursor());
        assertTrue(page.hasMore());
        assertEquals(2, page.events().size());
        PulledEvent first = page.events().get(0);
        assertEquals(new PulledEvent(a.eventId(), "aaaaaaaaaaaa", 7, a.toJson()), first);
        assertEquals(a, first.parse());
        PulledEvent second = page.events().get(1);
        assertEquals(b.eventId(), second.eventId());
        assertEquals(8, second.lamportClock());
        assertEquals(bJson.trim(), second.json());
        Event parsed = second.parse();
        assertEquals(b, parsed.withoutExtension("x"), "the known members parse to the event sent");
        assertEquals("[1,{\"event_id\":\"nested\"}]", parsed.extensions().get("x").toString(),
                "an unknown member is kept as sent");
    }

    @Test
    void aPageThatLeftEventsOutTellsEachCursorAndADensePageTellsNone() throws IOException {
        Event a = TestEvents.note(7, "WP01", "aaaaaaaaaaaa");
        Event b = TestEvents.note(8, "WP01", "aaaaaaaaaaaa");
        PulledPage skipped = read("{\"events\": [" + a.toJson() + "," + b.toJson() + "], \"cursors\": [\"12\", 15],"
                + " \"next_cursor\": \"20\", \"has_more\": false}");
        assertEquals("[12, 15]", java.util.Arrays.toString(skipped.cursors().orElseThrow()));
        assertTrue(read("{\"events\": [], \"next_cursor\": \"0\"}").cursors().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> read("{\"events\": [], \"cursors\": [\"-1\"], \"next_cursor\": \"0\"}"));
        assertThrows(IllegalArgumentException.class, () -> read("{\"events\": [], \"cursors\": [{}], \"next_cursor\": \"0\"}"));
        assertThrows(IllegalArgumentException.class, () -> read("{\"events\": [], \"cursors\": 3, \"next_cursor\": \"0\"}"));
    }

    @Test
    void membersOfTheWrongTypeAreLeftForTheParseToRefuse() throws IOException {
        PulledPage page = read("{\"events\": [{\"event_id\": 5, \"node_id\": null, \"lamport_clock\": 1e3},"
                + " {\"lamport_clock\": 99999999999999999999999}, 17, [1, 2]], \"next_cursor\": 3}");
        assertEquals("3", page.nextCursor());
        assertFalse(page.hasMore());
        assertEquals(4, page.events().size());
        for (PulledEvent e : page.events()) {
            assertEquals(null, e.eventId());
            assertEquals(null, e.nodeId());
            assertEquals(-1, e.lamportClock());
            assertThrows(RuntimeException.class, e::parse);
        }
        assertEquals("[1, 2]", page.events().get(3).json());
    }

    @Test
    void aMissingCursorAndOtherShapesAreRefused() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> read("{\"events\": []}"));
        assertThrows(IllegalArgumentException.class, () -> read("{\"events\": [], \"next_cursor\": null}"));
        assertEquals(List.of(), read("{\"next_cursor\": \"1\"}").events());
        assertThrows(IllegalArgumentException.class, () -> read("[]"));
        assertThrows(IllegalArgumentException.class, () -> read("{\"events\": {}}"));
        assertThrows(IllegalArgumentException.class, () -> read("{\"events\": []} {}"));
        assertThrows(IOException.class, () -> read("{\"events\": [{\"event_id\": \"01"));
        assertThrows(IOException.class, () -> read("not json"));
    }

    @Test
    void aFullPageRoundTrips() throws IOException {
        StringBuilder body = new StringBuilder("{\"events\":[");
        for (int i = 0; i < 1000; i++) {
            body.append(i == 0 ? "" : ",").append(TestEvents.note(i, "WP" + i, "cccccccccccc").toJson());
        }
        PulledPage page = read(body.append("],\"next_cursor\":\"1000\",\"has_more\":false}").toString());
        assertEquals(1000, page.events().size());
        for (int i = 0; i < 1000; i++) {
            assertEquals("WP" + i, Json.tree(page.events().get(i).json()).get("aggregate_id").asText());
        }
    }

    @Test
    void anEventPastTheEventLimitIsMeasuredButNotMadeIntoText() throws IOException {
        Event small = TestEvents.note(7, "WP01", "aaaaaaaaaaaa");
        String big = TestEvents.event(8, "HistoryAdded", "WP01", "bbbbbbbbbbbb",
                "{\"wp_id\":\"WP01\",\"entry_type\":\"note\",\"entry_content\":\"" + "z".repeat(300_000) + "\"}").toJson();
        PulledPage page = read("{\"events\":[" + big + "," + small.toJson() + "],\"next_cursor\":\"9\",\"has_more\":false}");
        PulledEvent oversized = page.events().get(0);
        assertTrue(oversized.oversized());
        assertEquals(big.length(), oversized.bytes());
        assertEquals(TestEvents.id(8), oversized.eventId(), "its id is still read, for the record");
        assertEquals(8, oversized.lamportClock());
        assertFalse(page.events().get(1).oversized());
        assertEquals(small, page.events().get(1).parse());
    }
}
