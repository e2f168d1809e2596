package dev.speckitty.protocol.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.json.Json;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The 3.x table, rule by rule: each field's accepted value passes and its refused value fails, alone. */
class Generation3RulesTest {
    static Stream<String> types() {
        return V3Samples.TYPES.stream();
    }

    static Stream<Arguments> payloadFields() {
        return Generation.V3.rules().types().values().stream()
                .flatMap(t -> t.fields().stream().map(f -> Arguments.of(t.eventType(), f.name())));
    }

    static Stream<String> envelopeFields() {
        return Generation3Rules.ENVELOPE.stream().filter(f -> f.examples().isPresent()).map(PayloadField::name);
    }

    static Stream<String> forbidden() {
        return Generation3Rules.FORBIDDEN.stream();
    }

    @Test
    void theTableHoldsTheTypesOfTheReference() {
        assertEquals(V3Samples.TYPES, Generation.V3.rules().typeNames());
        assertEquals(33, V3Samples.TYPES.size());
    }

    @ParameterizedTest
    @MethodSource("types")
    void requiredFieldsAreThoseOfTheReference(String type) {
        TypeRules rules = Generation.V3.rules().type(type).orElseThrow();
        assertEquals(V3Samples.REQUIRED.get(type), rules.fields().stream().filter(PayloadField::required).map(PayloadField::name).toList());
        assertEquals(rules.fields().size(), new HashSet<>(rules.fields().stream().map(PayloadField::name).toList()).size(),
                "a field is listed twice");
    }

    @ParameterizedTest
    @MethodSource("types")
    void theSampleOfEveryTypeIsValidAndParsesWithItsExtensions(String type) {
        ObjectNode json = V3Samples.event(type);
        assertEquals(List.of(), EventValidator.validate(json));
        Event event = Event.parse(json);
        assertEquals(Generation.V3, event.generation());
        assertEquals("3.0.0", event.extensions().get("schema_version").asText());
        assertEquals(json, Json.tree(event.toJson()), "no member is lost");
    }

    @ParameterizedTest
    @MethodSource("payloadFields")
    void eachPayloadRuleAcceptsItsExampleAndRefusesItsCounterexample(String type, String field) {
        PayloadField f = field(type, field);
        PayloadField.Examples ex = f.examples().orElseThrow(() -> new AssertionError(type + "." + field + " has no examples"));
        ObjectNode ok = V3Samples.event(type);
        ((ObjectNode) ok.get("payload")).set(field, ex.accepted());
        assertEquals(List.of(), EventValidator.validate(ok), "accepted: " + ex.accepted());
        ObjectNode bad = V3Samples.event(type);
        ((ObjectNode) bad.get("payload")).set(field, ex.refused());
        List<Violation> violations = EventValidator.validate(bad);
        assertEquals(1, violations.size(), violations.toString());
        assertEquals("payload." + field, violations.get(0).field(), violations.toString());
    }

    @ParameterizedTest
    @MethodSource("payloadFields")
    void aRequiredFieldMustBePresentAndAnOptionalOneMayBeLeftOut(String type, String field) {
        ObjectNode e = V3Samples.event(type);
        ((ObjectNode) e.get("payload")).remove(field);
        List<Violation> violations = EventValidator.validate(e);
        if (field(type, field).required()) {
            assertEquals(List.of(new Violation("payload." + field, "is required")), violations);
        } else {
            assertEquals(List.of(), violations);
        }
    }

    @ParameterizedTest
    @MethodSource("envelopeFields")
    void eachEnvelopeRuleAcceptsItsExampleAndRefusesItsCounterexample(String field) {
        PayloadField f = Generation3Rules.ENVELOPE.stream().filter(x -> x.name().equals(field)).findFirst().orElseThrow();
        ObjectNode ok = V3Samples.event("WPStatusChanged");
        ok.set(field, f.examples().orElseThrow().accepted());
        assertEquals(List.of(), EventValidator.validate(ok));
        ObjectNode bad = V3Samples.event("WPStatusChanged");
        bad.set(field, f.examples().orElseThrow().refused());
        List<Violation> violations = EventValidator.validate(bad);
        assertEquals(1, violations.size(), violations.toString());
        assertEquals(field, violations.get(0).field());
    }

    @Test
    void onlyThePayloadHasNoEnvelopeExamplesAndIsCheckedHere() {
        assertEquals(List.of("payload"), Generation3Rules.ENVELOPE.stream().filter(f -> f.examples().isEmpty())
                .map(PayloadField::name).toList());
        ObjectNode e = V3Samples.event("WPStatusChanged");
        e.set("payload", Json.tree("[]"));
        assertEquals(List.of(new Violation("payload", "must be an object (got array)")), EventValidator.validate(e));
        e.remove("payload");
        assertEquals(List.of(new Violation("payload", "is required")), EventValidator.validate(e));
    }

    @ParameterizedTest
    @MethodSource("forbidden")
    void membersThatMovedIntoThePayloadAreRefusedAtTheTop(String member) {
        ObjectNode e = V3Samples.event("WPStatusChanged");
        assertEquals(List.of(), EventValidator.validate(e));
        e.put(member, "x");
        List<Violation> violations = EventValidator.validate(e);
        assertEquals(1, violations.size(), violations.toString());
        assertEquals(member, violations.get(0).field());
        assertTrue(violations.get(0).message().contains("inside payload"), violations.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"4.0.0\"", "\"2.0.0\"", "\"3\"", "null", "3", "\"3.0.0-beta\""})
    void anUnknownGenerationIsRefusedWithTheReason(String version) {
        ObjectNode e = V3Samples.event("WPStatusChanged");
        e.set("schema_version", Json.tree(version));
        List<Violation> violations = EventValidator.validate(e);
        assertEquals(1, violations.size(), violations.toString());
        assertEquals("schema_version", violations.get(0).field());
        assertTrue(violations.get(0).message().contains("is not a schema generation this server knows"), violations.toString());
    }

    @Test
    void aLaterMinorOfGenerationThreeIsJudgedByTheThreeRules() {
        ObjectNode e = V3Samples.event("MissionCreated");
        e.put("schema_version", "3.4.1");
        assertEquals(List.of(), EventValidator.validate(e));
    }

    @Test
    void anUnknownTypeInsideGenerationThreeIsRefusedWithTheReason() {
        ObjectNode e = V3Samples.event("WPStatusChanged");
        e.put("event_type", "WPExploded");
        List<Violation> violations = EventValidator.validate(e);
        assertEquals(1, violations.size(), violations.toString());
        assertEquals("event_type", violations.get(0).field());
        assertTrue(violations.get(0).message().startsWith("'WPExploded' is not a 3.x event type (expected one of: BuildRegistered"),
                violations.get(0).message());
    }

    @Test
    void aThreeTypeWithoutSchemaVersionIsJudgedAsTwoAndRefused() {
        ObjectNode e = EventSamples.event("WPCreated");
        e.put("event_type", "MissionCreated");
        List<Violation> violations = EventValidator.validate(e);
        assertEquals("event_type", violations.get(0).field(), violations.toString());
        assertTrue(violations.get(0).message().startsWith("'MissionCreated' is not allowed"), violations.toString());
    }

    @Test
    void aTwoEventWithTheThreeLaneIsStillRefusedAndAThreeEventWithItAccepted() {
        ObjectNode two = EventSamples.event("WPStatusChanged");
        ((ObjectNode) two.get("payload")).put("to_lane", "in_review");
        assertEquals("payload.to_lane", EventValidator.validate(two).get(0).field());
        ObjectNode three = V3Samples.event("WPStatusChanged");
        ((ObjectNode) three.get("payload")).put("to_lane", "in_review");
        assertEquals(List.of(), EventValidator.validate(three));
    }

    /** An envelope shaped as 3.2.5's emitter writes it (reference section 1), typed by hand. */
    @Test
    void anEnvelopeAsThreeTwoFiveWritesItIsValidAndKeptWhole() {
        String text = """
                {"event_id": "01KAT0V6J8Q5R9S1T2V3W4X5Y6", "event_type": "WPStatusChanged", "aggregate_id": "WP01",
                 "aggregate_type": "WorkPackage", "schema_version": "3.0.0", "build_id": "",
                 "payload": {"mission_slug": "unknown-mission", "wp_id": "WP01", "from_lane": "genesis", "to_lane": "planned",
                             "actor": "claude", "execution_mode": "worktree", "force": false,
                             "evidence": {"repos": [{"repo": "acme/x", "branch": "main", "commit": "abc"}]}},
                 "node_id": "b805cd5cee74", "lamport_clock": 1, "causation_id": null,
                 "correlation_id": "01KAT0V6J8Q5R9S1T2V3W4X5Y6", "timestamp": "2026-11-24T10:00:00.123456+00:00",
                 "team_slug": null, "project_uuid": null, "project_slug": null, "git_branch": null,
                 "head_commit_sha": null, "repo_slug": null, "drain_blocked_reason": "no_team"}""";
        JsonNode json = Json.tree(text);
        assertEquals(List.of(), EventValidator.validate(json));
        Event e = Event.parse(json);
        assertEquals(List.of("schema_version", "build_id", "correlation_id", "drain_blocked_reason"),
                List.copyOf(e.extensions().keySet()));
        assertEquals(json, Json.tree(e.toJson()));
        assertEquals(e, Json.read(e.toJson(), Event.class), "databind reads the extensions too");
    }

    @Test
    void aProofPayloadIsBoundAsAWholeAndItsSubjectByType() {
        ObjectNode big = V3Samples.event("ProofItemRecorded");
        ((ObjectNode) big.get("payload")).put("notes", "x".repeat(Generation3Rules.MAX_PROOF_PAYLOAD_BYTES));
        List<Violation> violations = EventValidator.validate(big);
        assertEquals(1, violations.size(), violations.toString());
        assertEquals("payload", violations.get(0).field());
        assertTrue(violations.get(0).message().endsWith("(expected: at most 16384)"), violations.toString());
        ObjectNode mission = V3Samples.event("ProofItemRecorded");
        ((ObjectNode) mission.get("payload")).set("subject", Json.tree("{\"subject_type\": \"mission\", \"subject_id\": \"m\"}"));
        assertEquals("payload.subject", EventValidator.validate(mission).get(0).field());
        ((ObjectNode) mission.get("payload")).set("subject",
                Json.tree("{\"subject_type\": \"mission\", \"subject_id\": \"m\", \"mission_slug\": \"001-x\"}"));
        assertEquals(List.of(), EventValidator.validate(mission));
        ObjectNode run = V3Samples.event("ProofItemRecorded");
        ((ObjectNode) run.get("payload")).set("subject", Json.tree("{\"subject_type\": \"mission_run\", \"subject_id\": \"r\"}"));
        assertFalse(EventValidator.validate(run).isEmpty());
    }

    @Test
    void missionNumberMayBeNullButNotMissing() {
        ObjectNode e = V3Samples.event("MissionCreated");
        ((ObjectNode) e.get("payload")).putNull("mission_number");
        assertEquals(List.of(), EventValidator.validate(e));
        ((ObjectNode) e.get("payload")).put("mission_number", 12);
        assertEquals(List.of(), EventValidator.validate(e));
        ((ObjectNode) e.get("payload")).remove("mission_number");
        assertEquals(List.of(new Violation("payload.mission_number", "is required")), EventValidator.validate(e));
    }

    private static PayloadField field(String type, String name) {
        return Generation.V3.rules().type(type).orElseThrow().fields().stream()
                .filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }
}
