package dev.speckitty.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.event.InvalidEventException;
import dev.speckitty.protocol.event.Ulid;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.local.LamportClock;
import dev.speckitty.protocol.local.SpecKittyHome;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventFactoryTest {
    private static final Clock TIME = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);

    private static JsonNode draft(String wp) {
        return Json.tree("{\"event_type\":\"WPStatusChanged\",\"aggregate_id\":\"" + wp + "\",\"payload\":"
                + "{\"wp_id\":\"" + wp + "\",\"from_lane\":\"planned\",\"to_lane\":\"in_progress\"}}");
    }

    @Test
    void completesDraftsWithConsecutiveClockValuesAndTheTeam(@TempDir Path dir) {
        LamportClock clock = LamportClock.of(SpecKittyHome.at(dir));
        EventFactory factory = new EventFactory(clock, new Ulid(TIME, new Random(1)), () -> new Recording("team-a", ""), TIME);

        List<Event> events = factory.complete(List.of(draft("WP01"), draft("WP02")), dir);

        assertEquals(2, events.size());
        assertEquals(1, events.get(0).lamportClock());
        assertEquals(2, events.get(1).lamportClock());
        assertEquals("team-a", events.get(0).teamSlug());
        assertEquals("WorkPackage", events.get(0).aggregateType());
        assertEquals(clock.read().nodeId(), events.get(1).nodeId());
        assertTrue(events.get(0).eventId().compareTo(events.get(1).eventId()) < 0, "ULIDs ascend");
        assertEquals(2, clock.read().value());
    }

    @Test
    void oneInvalidEventRefusesTheWholeRequestAndLeavesTheClock(@TempDir Path dir) {
        LamportClock clock = LamportClock.of(SpecKittyHome.at(dir));
        EventFactory factory = new EventFactory(clock, new Ulid(TIME, new Random(1)), () -> new Recording("team-a", ""), TIME);
        JsonNode bad = Json.tree("{\"event_type\":\"WPStatusChanged\",\"aggregate_id\":\"WP01\",\"payload\":"
                + "{\"wp_id\":\"WP01\",\"from_lane\":\"planned\",\"to_lane\":\"flying\"}}");

        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> factory.complete(List.of(draft("WP01"), bad), dir));

        assertTrue(e.violations().stream().anyMatch(v -> v.field().startsWith("events[1].")), e.getMessage());
        assertEquals(0, clock.read().value(), "the clock did not move");
    }

    @Test
    void aCompleteEnvelopeKeepsItsIdentityAndAdvancesTheClockPastIt(@TempDir Path dir) {
        LamportClock clock = LamportClock.of(SpecKittyHome.at(dir));
        EventFactory factory = new EventFactory(clock, new Ulid(TIME, new Random(1)), () -> new Recording("team-a", ""), TIME);
        Event template = factory.complete(List.of(draft("WP01")), dir).get(0).withLamportClock(500);

        Event kept = factory.complete(List.of(template.toTree()), dir).get(0);

        assertEquals(template, kept);
        assertEquals(501, clock.read().value());
    }

    @Test
    void anEventTooLargeForTheServerIsRefusedBeforeTheClockMoves(@TempDir Path dir) {
        LamportClock clock = LamportClock.of(SpecKittyHome.at(dir));
        EventFactory factory = new EventFactory(clock, new Ulid(TIME, new Random(1)), () -> new Recording("team-a", ""), TIME);
        long before = clock.read().value();
        JsonNode big = Json.tree("{\"event_type\":\"HistoryAdded\",\"aggregate_id\":\"WP01\",\"payload\":{\"wp_id\":\"WP01\","
                + "\"entry_type\":\"note\",\"entry_content\":\"" + "x".repeat(300 * 1024) + "\"}}");
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> factory.complete(List.of(draft("WP01"), big), dir));
        assertEquals(1, e.violations().size());
        assertEquals("events[1].event", e.violations().get(0).field());
        assertTrue(e.violations().get(0).message().matches("30\\d{4} bytes as compact UTF-8 JSON \\(expected: at most 262144\\)"),
                e.violations().get(0).message());
        assertEquals(before, clock.read().value(), "nothing was stamped");
    }

    @Test
    void withSchemaThreeADraftBecomesAThreeEnvelopeTheValidatorJudgesByTheThreeRules(@TempDir Path dir) {
        LamportClock clock = LamportClock.of(SpecKittyHome.at(dir));
        EventFactory factory = new EventFactory(clock, new Ulid(TIME, new Random(1)), () -> new Recording("team-a", "",
                dev.speckitty.protocol.event.Generation.V3), TIME);
        JsonNode three = Json.tree("{\"event_type\":\"WPStatusChanged\",\"aggregate_id\":\"WP01\","
                + "\"project_uuid\":\"6f1c0a52-2f5e-4a8e-9d1e-0c3c6b1f2a11\",\"payload\":{\"mission_slug\":\"001-x\","
                + "\"wp_id\":\"WP01\",\"from_lane\":\"genesis\",\"to_lane\":\"in_review\",\"actor\":\"ada\","
                + "\"execution_mode\":\"worktree\"}}");

        Event e = factory.complete(List.of(three), dir).get(0);

        assertEquals(dev.speckitty.protocol.event.Generation.V3, e.generation());
        assertEquals("3.0.0", e.extensions().get("schema_version").asText());
        assertEquals(e.eventId(), e.extensions().get("correlation_id").asText(), "no causation: correlated to itself");
        String build = e.extensions().get("build_id").asText();
        assertEquals(5, java.util.UUID.fromString(build).version());
        assertEquals(build, EventFactory.buildId(Json.tree("\"6f1c0a52-2f5e-4a8e-9d1e-0c3c6b1f2a11\""), clock.read().nodeId()),
                "one build id per project and machine");
        assertEquals("", EventFactory.buildId(Json.tree("null"), clock.read().nodeId()));
        assertEquals(List.of(), dev.speckitty.protocol.event.EventValidator.validate(Json.tree(e.toJson())));

        // The 2.x payload of the same type is not a 3.x one: refused before anything is queued.
        InvalidEventException refused = assertThrows(InvalidEventException.class, () -> factory.complete(List.of(draft("WP02")), dir));
        assertTrue(refused.getMessage().contains("payload.mission_slug: is required"), refused.getMessage());
    }
}
