package dev.speckitty.engine.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.engine.store.DrainPosition;
import dev.speckitty.engine.store.QueuedEvent;
import dev.speckitty.testing.TestEvents;
import dev.speckitty.protocol.event.EventLimits;
import dev.speckitty.protocol.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class PreparedBatchTest {
    private static QueuedEvent row(long id, String content) {
        String data = TestEvents.event(id, "HistoryAdded", "WP01", TestEvents.NODE,
                "{\"wp_id\":\"WP01\",\"entry_type\":\"note\",\"entry_content\":\"" + content + "\"}").toJson();
        return new QueuedEvent(id, TestEvents.id(id), "HistoryAdded", data, 1_000, 0, "WP01", false, id, "node-1");
    }

    private static String unzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void takesRowsWhileTheyFitTheByteBoundAndLeavesTheRestForTheNextBatch() throws IOException {
        List<QueuedEvent> rows = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            rows.add(row(i, "x".repeat(1000)));
        }
        int one = rows.get(0).data().length();
        PreparedBatch batch = PreparedBatch.of(DrainPosition.START, rows, 13 + 3 * one + 2, "team-a");
        assertEquals(3, batch.events().size(), "three rows and their commas fit");
        assertEquals(rows.get(2).position(), batch.last(), "the next batch starts after the third");
        assertEquals(13 + 3 * one + 2, batch.rawBytes());
        String json = unzip(batch.body());
        assertEquals(batch.rawBytes(), json.getBytes(StandardCharsets.UTF_8).length);
        assertEquals(3, Json.tree(json).path("events").size());
        assertTrue(batch.oversized().isEmpty());
        PreparedBatch tiny = PreparedBatch.of(DrainPosition.START, rows, 10, "team-a");
        assertEquals(1, tiny.events().size(), "always one event, even past a tiny bound");
    }

    @Test
    void anEventPastTheEventLimitIsSetAsideWithTheReasonAndTheOthersGo() throws IOException {
        QueuedEvent big = row(2, "y".repeat(EventLimits.MAX_EVENT_BYTES));
        PreparedBatch batch = PreparedBatch.of(DrainPosition.START, List.of(row(1, "a"), big, row(3, "b")), EventLimits.MAX_BATCH_BYTES, "t");
        assertEquals(List.of(TestEvents.id(1), TestEvents.id(3)), batch.events().stream().map(QueuedEvent::eventId).toList());
        assertEquals(List.of(big), batch.oversized());
        assertTrue(batch.reasons().get(0).matches("event is 256\\.\\d KiB \\(expected: at most 256 KiB\\); the server refuses it, .*"),
                batch.reasons().get(0));
        assertEquals(2, Json.tree(unzip(batch.body())).path("events").size());
        PreparedBatch alone = PreparedBatch.of(DrainPosition.START, List.of(big), EventLimits.MAX_BATCH_BYTES, "t");
        assertTrue(alone.events().isEmpty() && !alone.exhausted(), "nothing to send, but the walk goes on past it");
        assertEquals(big.position(), alone.last());
        assertTrue(PreparedBatch.of(big.position(), List.of(), 100, "t").exhausted());
    }

    @Test
    void sizesReadAsAPersonWould() {
        assertEquals("300 KiB", Sizes.human(300 * 1024));
        assertEquals("256.1 KiB", Sizes.human(256 * 1024 + 1), "rounded up: past the limit never reads as the limit");
        assertEquals("18.2 MiB", Sizes.human(19_000_000));
        assertEquals("512 bytes", Sizes.human(512));
        assertEquals("event is 2 MiB (expected: at most 256 KiB)", Sizes.eventTooLarge(2 * 1024 * 1024));
    }

    @Test
    void aThreeEnvelopeWithoutATeamLeavesWithTheLoggedInTeamAndWithoutItsDrainNote() throws IOException {
        var e = dev.speckitty.protocol.event.V3Samples.event("WPAssigned", "team-a", TestEvents.id(7));
        e.putNull("team_slug");
        e.put("drain_blocked_reason", "no_team");
        QueuedEvent row = new QueuedEvent(7, TestEvents.id(7), "WPAssigned", e.toString(), 1_000, 0, "WP01", true, 7, "node-1");
        var sent = (com.fasterxml.jackson.databind.node.ObjectNode) Json.tree(unzip(
                PreparedBatch.of(DrainPosition.START, List.of(row), EventLimits.MAX_BATCH_BYTES, "team-b").body())).get("events").get(0);
        assertEquals("team-b", sent.get("team_slug").asText());
        assertTrue(!sent.has("drain_blocked_reason"));
        e.put("team_slug", "team-b");
        e.remove("drain_blocked_reason");
        assertEquals(e, sent, "every other member as recorded");
    }
}
