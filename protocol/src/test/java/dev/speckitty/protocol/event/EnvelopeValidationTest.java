package dev.speckitty.protocol.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.json.JsonException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The envelope fields: required, nullable, and the shape of each. */
class EnvelopeValidationTest {
    private static final List<String> REQUIRED = List.of("event_id", "event_type", "aggregate_id", "aggregate_type",
            "payload", "node_id", "lamport_clock", "timestamp", "team_slug");
    private static final List<String> NULLABLE = List.of("causation_id", "project_uuid", "project_slug", "git_branch",
            "head_commit_sha", "repo_slug");

    static Stream<String> required() {
        return REQUIRED.stream();
    }

    static Stream<String> nullable() {
        return NULLABLE.stream();
    }

    @ParameterizedTest
    @MethodSource("required")
    void requiredEnvelopeFieldMissing(String field) {
        ObjectNode json = EventSamples.event("HistoryAdded");
        json.remove(field);
        assertEquals(List.of(new Violation(field, "is required")), EventValidator.validate(json));
    }

    @ParameterizedTest
    @MethodSource("required")
    void requiredEnvelopeFieldNull(String field) {
        ObjectNode json = EventSamples.event("HistoryAdded");
        json.putNull(field);
        assertEquals(List.of(new Violation(field, "must not be null")), EventValidator.validate(json));
    }

    @ParameterizedTest
    @MethodSource("nullable")
    void nullableEnvelopeFieldsMayBeNullOrAbsent(String field) {
        ObjectNode json = EventSamples.event("HistoryAdded");
        json.putNull(field);
        assertEquals(List.of(), EventValidator.validate(json));
        json.remove(field);
        assertEquals(List.of(), EventValidator.validate(json));
    }

    static Stream<Arguments> badEnvelopeValues() {
        String ulid = " does not match [0-7][0-9A-HJKMNP-TV-Z]{25} (expected: like 01KAT0V6J8Q5R9S1T2V3W4X5Y6 (ULID))";
        String uuid = " does not match [0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
                + " (expected: like 6f1c0a52-2f5e-4a8e-9d1e-0c3c6b1f2a11)";
        String causation = " is neither a ULID nor a UUID (expected: like 01KAT0V6J8Q5R9S1T2V3W4X5Y6 or 6f1c0a52-2f5e-4a8e-9d1e-0c3c6b1f2a11)";
        return Stream.of(
                Arguments.of("event_id", "\"01kat0v6j8q5r9s1t2v3w4x5y6\"", "'01kat0v6j8q5r9s1t2v3w4x5y6'" + ulid),
                Arguments.of("event_id", "\"01KAT0V6J8Q5R9S1T2V3W4X5Y\"", "'01KAT0V6J8Q5R9S1T2V3W4X5Y'" + ulid),
                Arguments.of("event_id", "\"81KAT0V6J8Q5R9S1T2V3W4X5Y6\"", "'81KAT0V6J8Q5R9S1T2V3W4X5Y6'" + ulid),
                Arguments.of("event_id", "\"6f1c0a52-2f5e-4a8e-9d1e-0c3c6b1f2a11\"", "'6f1c0a52-2f5e-4a8e-9d1e-0c3c6b1f2a11'" + ulid),
                Arguments.of("event_id", "42", "must be a string like 01KAT0V6J8Q5R9S1T2V3W4X5Y6 (ULID) (got number)"),
                Arguments.of("event_type", "\"WpStatusChanged\"", "'WpStatusChanged' is not allowed (expected one of: "
                        + String.join(", ", EventType.wireNames()) + ")"),
                Arguments.of("aggregate_id", "\"\"", "must not be empty"),
                Arguments.of("aggregate_type", "\"Mission\"", "'Mission' is not allowed (expected one of: WorkPackage, Feature, MissionDossier)"),
                Arguments.of("aggregate_type", "\"workpackage\"", "'workpackage' is not allowed (expected one of: WorkPackage, Feature, MissionDossier)"),
                Arguments.of("payload", "[]", "must be an object (got array)"),
                Arguments.of("node_id", "\"b805 cd\"", "'b805 cd' does not match [A-Za-z0-9_-]{1,64} (expected: like b805cd5cee74)"),
                Arguments.of("lamport_clock", "-1", "-1 (expected: >= 0)"),
                Arguments.of("lamport_clock", "\"40\"", "must be an integer >= 0 (got string)"),
                Arguments.of("lamport_clock", "40.5", "must be an integer >= 0 (got number)"),
                Arguments.of("lamport_clock", "99999999999999999999", "99999999999999999999 (expected: 0..9223372036854775807)"),
                Arguments.of("lamport_clock", "1000000000000001", "1000000000000001 (expected: 0..1000000000000000)"),
                Arguments.of("lamport_clock", "9223372036854775807", "9223372036854775807 (expected: 0..1000000000000000)"),
                Arguments.of("causation_id", "\"not-an-id\"", "'not-an-id'" + causation),
                Arguments.of("causation_id", "7", "must be a string (got number) (expected: like 01KAT0V6J8Q5R9S1T2V3W4X5Y6 or 6f1c0a52-2f5e-4a8e-9d1e-0c3c6b1f2a11)"),
                Arguments.of("timestamp", "\"2026-11-24T11:00:00+01:00\"", "'2026-11-24T11:00:00+01:00' is not UTC (expected: offset Z or +00:00)"),
                Arguments.of("timestamp", "\"2026-11-24T10:00:00\"", "'2026-11-24T10:00:00' has no UTC offset (expected: like 2026-11-24T10:00:00+00:00)"),
                Arguments.of("timestamp", "\"2026-11-24\"", "'2026-11-24' is not an ISO-8601 timestamp (expected: like 2026-11-24T10:00:00+00:00)"),
                Arguments.of("timestamp", "1795561169", "must be an ISO-8601 timestamp string (got number)"),
                Arguments.of("team_slug", "\"Team-A\"", "'Team-A' does not match [a-z0-9][a-z0-9_-]{0,63} (expected: like team-a)"),
                Arguments.of("team_slug", "\"-team\"", "'-team' does not match [a-z0-9][a-z0-9_-]{0,63} (expected: like team-a)"),
                Arguments.of("team_slug", "\"\"", "'' does not match [a-z0-9][a-z0-9_-]{0,63} (expected: like team-a)"),
                Arguments.of("project_uuid", "\"offline-sync\"", "'offline-sync'" + uuid),
                Arguments.of("project_uuid", "\"01KAT0V6J8Q5R9S1T2V3W4X5Y6\"", "'01KAT0V6J8Q5R9S1T2V3W4X5Y6'" + uuid),
                Arguments.of("project_slug", "\"\"", "must not be empty"),
                Arguments.of("head_commit_sha", "\"3F1E2D4C5B6A79808F7E6D5C4B3A291807F6E5D4\"",
                        "'3F1E2D4C5B6A79808F7E6D5C4B3A291807F6E5D4' does not match [0-9a-f]{40}|[0-9a-f]{64} (expected: like 40 lowercase hex digits)"),
                Arguments.of("repo_slug", "false", "must be a string (got boolean)"));
    }

    @ParameterizedTest
    @MethodSource("badEnvelopeValues")
    void badEnvelopeValueIsNamed(String field, String badJson, String message) {
        ObjectNode json = EventSamples.event("WPStatusChanged");
        json.set(field, Json.tree(badJson));
        assertEquals(List.of(new Violation(field, message)), EventValidator.validate(json));
    }

    @ParameterizedTest
    @ValueSource(strings = {"01KAT0V6J9A1B2C3D4E5F6G7H8", "6f1c0a52-2f5e-4a8e-9d1e-0c3c6b1f2a11", "6F1C0A52-2F5E-4A8E-9D1E-0C3C6B1F2A11"})
    void causationIdMayBeAUlidOrAUuid(String id) {
        ObjectNode json = EventSamples.event("WPStatusChanged");
        json.put("causation_id", id);
        assertEquals(List.of(), EventValidator.validate(json));
        assertEquals(id, Event.parse(json).causation().orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-24T10:00:00Z", "2026-11-24T10:00:00+00:00", "2026-11-24T10:00:00.746752+00:00", "2026-11-24T10:00:00.1Z"})
    void utcTimestampsInEitherSpelling(String timestamp) {
        ObjectNode json = EventSamples.event("WPStatusChanged");
        json.put("timestamp", timestamp);
        assertEquals(List.of(), EventValidator.validate(json));
    }

    @Test
    void largestLamportClockIsTenToTheFifteenth() {
        ObjectNode json = EventSamples.event("WPStatusChanged");
        json.put("lamport_clock", EventValidator.MAX_LAMPORT_CLOCK);
        assertEquals(List.of(), EventValidator.validate(json));
        assertEquals(1_000_000_000_000_000L, Event.parse(json).lamportClock());
    }

    @Test
    void headCommitShaMayBeSha256() {
        ObjectNode json = EventSamples.event("WPStatusChanged");
        json.put("head_commit_sha", EventSamples.SHA_B);
        assertEquals(List.of(), EventValidator.validate(json));
    }

    @Test
    void unknownEventTypeSkipsPayloadRules() {
        ObjectNode json = EventSamples.event("WPStatusChanged");
        json.put("event_type", "Nope");
        ((ObjectNode) json.get("payload")).removeAll();
        List<Violation> violations = EventValidator.validate(json);
        assertEquals(1, violations.size());
        assertEquals("event_type", violations.get(0).field());
    }

    @Test
    void notAnObject() {
        assertEquals(List.of(new Violation("event", "must be a JSON object (got array)")), EventValidator.validate(Json.tree("[1]")));
        assertEquals(List.of(new Violation("event", "must be a JSON object (got nothing)")), EventValidator.validate(null));
        assertThrows(JsonException.class, () -> Event.parse("{\"event_id\": "));
    }

    @Test
    void emptyObjectReportsEveryRequiredField() {
        List<Violation> violations = EventValidator.validate(Json.object());
        assertEquals(REQUIRED, violations.stream().map(Violation::field).toList());
    }
}
