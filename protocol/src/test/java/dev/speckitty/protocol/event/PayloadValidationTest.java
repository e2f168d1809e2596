package dev.speckitty.protocol.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.json.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every event type's payload rules: valid samples, each required field missing, wrong enums, bad patterns. */
class PayloadValidationTest {
    private static final String LANES = "planned, claimed, in_progress, for_review, done, blocked, canceled";

    static Stream<String> types() {
        return EventType.wireNames().stream();
    }

    static Stream<Arguments> requiredFields() {
        return EventSamples.REQUIRED.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(f -> Arguments.of(e.getKey(), f)));
    }

    @Test
    void theTwelveTypesOfTheContract() {
        assertEquals(List.of("WPStatusChanged", "WPCreated", "WPAssigned", "FeatureCreated", "FeatureCompleted",
                "HistoryAdded", "ErrorLogged", "DependencyResolved", "MissionDossierArtifactIndexed",
                "MissionDossierArtifactMissing", "MissionDossierSnapshotComputed", "MissionDossierParityDriftDetected"),
                EventType.wireNames());
    }

    @ParameterizedTest
    @MethodSource("types")
    void requiredFieldsAreThoseOfTheContract(String type) {
        List<String> required = EventType.fromWire(type).orElseThrow().fields().stream()
                .filter(PayloadField::required).map(PayloadField::name).toList();
        assertEquals(EventSamples.REQUIRED.get(type), required);
    }

    @ParameterizedTest
    @MethodSource("types")
    void validSampleOfEveryTypeParses(String type) {
        ObjectNode json = EventSamples.event(type);
        assertEquals(List.of(), EventValidator.validate(json));
        Event event = Event.parse(json);
        assertEquals(type, event.eventType());
        assertEquals(EventType.fromWire(type), event.type());
        assertEquals(event, Event.parse(event.toJson()));
        assertEquals(Json.tree(json.toString()), Json.tree(event.toJson()));
    }

    @ParameterizedTest
    @MethodSource("types")
    void onlyTheRequiredFieldsAreEnough(String type) {
        ObjectNode json = EventSamples.event(type);
        ObjectNode payload = (ObjectNode) json.get("payload");
        payload.retain(EventSamples.REQUIRED.get(type));
        assertEquals(List.of(), EventValidator.validate(json));
    }

    @ParameterizedTest
    @MethodSource("requiredFields")
    void missingRequiredFieldIsNamed(String type, String field) {
        ObjectNode json = EventSamples.event(type);
        ((ObjectNode) json.get("payload")).remove(field);
        assertEquals(List.of(new Violation("payload." + field, "is required")), EventValidator.validate(json));
    }

    @ParameterizedTest
    @MethodSource("requiredFields")
    void nullRequiredFieldIsNamed(String type, String field) {
        ObjectNode json = EventSamples.event(type);
        ((ObjectNode) json.get("payload")).putNull(field);
        assertEquals(List.of(new Violation("payload." + field, "must not be null")), EventValidator.validate(json));
    }

    static Stream<Arguments> wrongEnums() {
        return Stream.of(
                Arguments.of("WPStatusChanged", "from_lane", "doing", LANES),
                Arguments.of("WPStatusChanged", "to_lane", "DONE", LANES),
                Arguments.of("WPAssigned", "phase", "testing", "implementation, review"),
                Arguments.of("HistoryAdded", "entry_type", "memo", "note, review, error, comment"),
                Arguments.of("ErrorLogged", "error_type", "fatal", "validation, runtime, network, auth, unknown"),
                Arguments.of("DependencyResolved", "resolution_type", "ignored", "completed, skipped, merged"));
    }

    @ParameterizedTest
    @MethodSource("wrongEnums")
    void wrongEnumValueListsTheAllowedValues(String type, String field, String bad, String allowed) {
        ObjectNode json = EventSamples.event(type);
        ((ObjectNode) json.get("payload")).put(field, bad);
        assertEquals(List.of(new Violation("payload." + field, "'" + bad + "' is not allowed (expected one of: " + allowed + ")")),
                EventValidator.validate(json));
    }

    @ParameterizedTest
    @MethodSource("wrongEnums")
    void enumOfTheWrongJsonTypeListsTheAllowedValues(String type, String field, String bad, String allowed) {
        ObjectNode json = EventSamples.event(type);
        ((ObjectNode) json.get("payload")).put(field, 3);
        assertEquals(List.of(new Violation("payload." + field, "number is not allowed (expected one of: " + allowed + ")")),
                EventValidator.validate(json));
    }

    static Stream<Arguments> badPatterns() {
        String wp = "' does not match WP\\d{2} (expected: like WP01)";
        String slug = "' does not match \\d{3}-[a-z0-9-]+ (expected: like 001-offline-sync)";
        String sha = "' does not match [0-9a-f]{64} (expected: like 64 lowercase hex digits)";
        String upperSha = "A".repeat(64);
        return Stream.of(
                Arguments.of("WPStatusChanged", "wp_id", "WP1", "'WP1" + wp),
                Arguments.of("WPStatusChanged", "feature_slug", "offline-sync", "'offline-sync" + slug),
                Arguments.of("WPCreated", "wp_id", "wp01", "'wp01" + wp),
                Arguments.of("WPCreated", "feature_slug", "001-Offline", "'001-Offline" + slug),
                Arguments.of("WPAssigned", "wp_id", "WP001", "'WP001" + wp),
                Arguments.of("FeatureCreated", "feature_slug", "1-x", "'1-x" + slug),
                Arguments.of("FeatureCreated", "feature_number", "1", "'1' does not match \\d{3} (expected: like 001)"),
                Arguments.of("FeatureCompleted", "feature_slug", "001_x", "'001_x" + slug),
                Arguments.of("HistoryAdded", "wp_id", "X01", "'X01" + wp),
                Arguments.of("ErrorLogged", "wp_id", "WP", "'WP" + wp),
                Arguments.of("DependencyResolved", "wp_id", "WP1a", "'WP1a" + wp),
                Arguments.of("DependencyResolved", "dependency_wp_id", "", "'" + wp),
                Arguments.of("MissionDossierArtifactIndexed", "feature_slug", "x", "'x" + slug),
                Arguments.of("MissionDossierArtifactIndexed", "content_hash_sha256", upperSha, "'" + upperSha.substring(0, 57) + "..." + sha),
                Arguments.of("MissionDossierArtifactMissing", "feature_slug", "002", "'002" + slug),
                Arguments.of("MissionDossierSnapshotComputed", "parity_hash_sha256", "abc", "'abc" + sha),
                Arguments.of("MissionDossierParityDriftDetected", "expected_hash", "a".repeat(63), "'" + "a".repeat(57) + "..." + sha),
                Arguments.of("MissionDossierParityDriftDetected", "actual_hash", "g".repeat(64), "'" + "g".repeat(57) + "..." + sha));
    }

    @ParameterizedTest
    @MethodSource("badPatterns")
    void badPatternIsNamedWithAnExample(String type, String field, String bad, String message) {
        ObjectNode json = EventSamples.event(type);
        ((ObjectNode) json.get("payload")).put(field, bad);
        assertEquals(List.of(new Violation("payload." + field, message)), EventValidator.validate(json));
    }

    static Stream<Arguments> otherBadValues() {
        return Stream.of(
                Arguments.of("WPStatusChanged", "policy_metadata", "\"x\"", "must be an object (got string)"),
                Arguments.of("WPStatusChanged", "actor", "7", "must be a string (got number)"),
                Arguments.of("WPCreated", "title", "\"  \"", "must not be empty"),
                Arguments.of("WPCreated", "dependencies", "\"WP01\"", "must be a list (got string)"),
                Arguments.of("WPCreated", "dependencies", "[\"WP01\", \"W2\"]", "[1] 'W2' does not match WP\\d{2} (expected: like WP01)"),
                Arguments.of("WPAssigned", "retry_count", "-1", "-1 (expected: >= 0)"),
                Arguments.of("WPAssigned", "retry_count", "1.5", "must be an integer >= 0 (got number)"),
                Arguments.of("WPAssigned", "agent_id", "\"\"", "must not be empty"),
                Arguments.of("FeatureCreated", "wp_count", "\"4\"", "must be an integer >= 0 (got string)"),
                Arguments.of("FeatureCreated", "wp_count", "18446744073709551616", "18446744073709551616 (expected: 0..9223372036854775807)"),
                Arguments.of("FeatureCreated", "created_at", "\"yesterday\"",
                        "'yesterday' is not an ISO-8601 timestamp (expected: like 2026-11-24T10:00:00+00:00)"),
                Arguments.of("FeatureCreated", "created_at", "\"2026-11-24T09:59:00\"",
                        "'2026-11-24T09:59:00' has no UTC offset (expected: like 2026-11-24T10:00:00+00:00)"),
                Arguments.of("FeatureCompleted", "total_wps", "-4", "-4 (expected: >= 0)"),
                Arguments.of("FeatureCompleted", "total_duration", "-0.5", "-0.5 (expected: >= 0)"),
                Arguments.of("FeatureCompleted", "total_duration", "true", "must be a number of seconds >= 0 or a string (got boolean)"),
                Arguments.of("ErrorLogged", "error_message", "[]", "must be a string (got array)"),
                Arguments.of("MissionDossierArtifactIndexed", "size_bytes", "-1", "-1 (expected: >= 0)"),
                Arguments.of("MissionDossierSnapshotComputed", "artifact_count", "null", "must not be null"),
                Arguments.of("MissionDossierSnapshotComputed", "computed_at", "1732000000", "must be an ISO-8601 timestamp string (got number)"),
                Arguments.of("MissionDossierParityDriftDetected", "drifted_artifacts", "[\"spec\", \"\"]", "[1] must not be empty"));
    }

    @ParameterizedTest
    @MethodSource("otherBadValues")
    void wrongTypesAndRangesAreNamed(String type, String field, String badJson, String message) {
        ObjectNode json = EventSamples.event(type);
        ((ObjectNode) json.get("payload")).set(field, Json.tree(badJson));
        assertEquals(List.of(new Violation("payload." + field, message)), EventValidator.validate(json));
    }

    @ParameterizedTest
    @MethodSource("types")
    void optionalPayloadFieldsMayBeNullOrAbsent(String type) {
        ObjectNode json = EventSamples.event(type);
        ObjectNode payload = (ObjectNode) json.get("payload");
        List<String> optional = EventType.fromWire(type).orElseThrow().fields().stream()
                .filter(f -> !f.required()).map(PayloadField::name).toList();
        optional.forEach(payload::putNull);
        assertEquals(List.of(), EventValidator.validate(json));
        optional.forEach(payload::remove);
        assertEquals(List.of(), EventValidator.validate(json));
    }

    @Test
    void unknownPayloadFieldsAreKept() {
        ObjectNode json = EventSamples.event("HistoryAdded");
        ((ObjectNode) json.get("payload")).put("mood", "happy");
        assertEquals("happy", Event.parse(json).payload().get("mood").asText());
    }

    @Test
    void everyViolationIsReportedWithItsPath() {
        ObjectNode json = EventSamples.event("WPStatusChanged");
        ObjectNode payload = (ObjectNode) json.get("payload");
        payload.remove("wp_id");
        payload.put("from_lane", "todo");
        payload.put("to_lane", "shipped");
        json.put("lamport_clock", -3);
        json.put("team_slug", "Team A");

        List<Violation> violations = EventValidator.validate(json);

        assertEquals(List.of(
                new Violation("lamport_clock", "-3 (expected: >= 0)"),
                new Violation("team_slug", "'Team A' does not match [a-z0-9][a-z0-9_-]{0,63} (expected: like team-a)"),
                new Violation("payload.wp_id", "is required"),
                new Violation("payload.from_lane", "'todo' is not allowed (expected one of: " + LANES + ")"),
                new Violation("payload.to_lane", "'shipped' is not allowed (expected one of: " + LANES + ")")), violations);

        InvalidEventException e = assertThrows(InvalidEventException.class, () -> Event.parse(json));
        assertEquals(violations, e.violations());
        assertEquals("lamport_clock: -3 (expected: >= 0); team_slug: 'Team A' does not match [a-z0-9][a-z0-9_-]{0,63}"
                + " (expected: like team-a); payload.wp_id: is required; payload.from_lane: 'todo' is not allowed (expected one of: "
                + LANES + "); payload.to_lane: 'shipped' is not allowed (expected one of: " + LANES + ")", e.getMessage());
    }

    @Test
    void validatePayloadAloneUsesTheSamePaths() {
        JsonNode payload = Json.tree("{\"wp_id\": \"WP01\", \"from_lane\": \"planned\"}");
        assertEquals(List.of(new Violation("payload.to_lane", "is required")),
                EventValidator.validatePayload(EventType.WP_STATUS_CHANGED, payload));
        assertEquals(List.of(new Violation("payload", "must be a JSON object")),
                EventValidator.validatePayload(EventType.WP_STATUS_CHANGED, Json.tree("[]")));
    }

    @Test
    void payloadRulesFollowTheEventTypeNotTheAggregateType() {
        ObjectNode json = EventSamples.event("FeatureCreated");
        json.put("aggregate_type", "WorkPackage");
        assertEquals(List.of(), EventValidator.validate(json));
        json.put("event_type", "WPCreated");
        List<String> fields = new ArrayList<>();
        EventValidator.validate(json).forEach(v -> fields.add(v.field()));
        assertEquals(List.of("payload.wp_id", "payload.title"), fields);
    }

    @Test
    void aggregateTypeWireNames() {
        assertEquals(List.of("WorkPackage", "Feature", "MissionDossier"), AggregateType.wireNames());
        assertTrue(Arrays.stream(EventType.values()).allMatch(t -> AggregateType.fromWire(t.defaultAggregateType().wireName()).isPresent()));
        assertEquals(AggregateType.MISSION_DOSSIER, EventType.MISSION_DOSSIER_PARITY_DRIFT_DETECTED.defaultAggregateType());
        assertEquals(AggregateType.FEATURE, EventType.FEATURE_COMPLETED.defaultAggregateType());
    }
}
