package dev.speckitty.protocol.event;

import static dev.speckitty.protocol.event.FieldRule.matching;
import static dev.speckitty.protocol.event.FieldRule.object;
import static dev.speckitty.protocol.event.FieldRule.oneOf;
import static dev.speckitty.protocol.event.FieldRule.text;
import static dev.speckitty.protocol.event.FieldRule.utcTimestamp;

import java.util.Arrays;
import java.util.List;

/**
 * The rules of spec-kitty 2.x events (no {@code schema_version}), as data: the envelope of DESIGN.md
 * and the twelve types of {@link EventType}, whose constants hold their payload fields.
 */
final class Generation2Rules {
    /** Envelope fields; required ones must be present and non-null, optional ones may be null. */
    static final List<PayloadField> ENVELOPE = List.of(
            PayloadField.required("event_id", matching(Patterns.ULID, "01KAT0V6J8Q5R9S1T2V3W4X5Y6 (ULID)")),
            PayloadField.required("event_type", oneOf(EventType.wireNames())),
            PayloadField.required("aggregate_id", text()),
            PayloadField.required("aggregate_type", oneOf(AggregateType.wireNames())),
            PayloadField.required("payload", object()),
            PayloadField.required("node_id", matching(Patterns.NODE_ID, "b805cd5cee74")),
            PayloadField.required("lamport_clock", EnvelopeRules.lamportClock(0)),
            PayloadField.optional("causation_id", EnvelopeRules.ulidOrUuid()),
            PayloadField.required("timestamp", utcTimestamp()),
            PayloadField.required("team_slug", matching(Patterns.TEAM_SLUG, "team-a")),
            PayloadField.optional("project_uuid", matching(Patterns.UUID, "6f1c0a52-2f5e-4a8e-9d1e-0c3c6b1f2a11")),
            PayloadField.optional("project_slug", text()),
            PayloadField.optional("git_branch", text()),
            PayloadField.optional("head_commit_sha", matching(Patterns.GIT_SHA, "40 lowercase hex digits")),
            PayloadField.optional("repo_slug", text()));

    static final GenerationRules TABLE = new GenerationRules(Generation.V2.label(), ENVELOPE, List.of(),
            GenerationRules.index(Arrays.stream(EventType.values())
                    .map(t -> TypeRules.of(t.wireName(), List.of(t.defaultAggregateType().wireName()), t.fields()))
                    .toList()));

    private Generation2Rules() {
    }
}
