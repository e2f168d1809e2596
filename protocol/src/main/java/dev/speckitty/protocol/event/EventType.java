package dev.speckitty.protocol.event;

import static dev.speckitty.protocol.event.FieldRule.isoTimestamp;
import static dev.speckitty.protocol.event.FieldRule.listOf;
import static dev.speckitty.protocol.event.FieldRule.matching;
import static dev.speckitty.protocol.event.FieldRule.nonNegativeInt;
import static dev.speckitty.protocol.event.FieldRule.nonNegativeNumber;
import static dev.speckitty.protocol.event.FieldRule.object;
import static dev.speckitty.protocol.event.FieldRule.oneOf;
import static dev.speckitty.protocol.event.FieldRule.text;
import static dev.speckitty.protocol.event.PayloadField.optional;
import static dev.speckitty.protocol.event.PayloadField.required;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The twelve event types of the protocol, each with the payload fields it requires and allows. */
public enum EventType {
    WP_STATUS_CHANGED("WPStatusChanged", AggregateType.WORK_PACKAGE, List.of(
            required("wp_id", Rules.WP),
            required("from_lane", oneOf(Rules.LANES)),
            required("to_lane", oneOf(Rules.LANES)),
            optional("actor", text()),
            optional("feature_slug", Rules.FEATURE),
            optional("policy_metadata", object()))),
    WP_CREATED("WPCreated", AggregateType.WORK_PACKAGE, List.of(
            required("wp_id", Rules.WP),
            required("title", text()),
            required("feature_slug", Rules.FEATURE),
            optional("dependencies", listOf(Rules.WP)))),
    WP_ASSIGNED("WPAssigned", AggregateType.WORK_PACKAGE, List.of(
            required("wp_id", Rules.WP),
            required("agent_id", text()),
            required("phase", oneOf(List.of("implementation", "review"))),
            optional("retry_count", nonNegativeInt()))),
    FEATURE_CREATED("FeatureCreated", AggregateType.FEATURE, List.of(
            required("feature_slug", Rules.FEATURE),
            required("feature_number", matching(Patterns.FEATURE_NUMBER, "001")),
            required("target_branch", text()),
            required("wp_count", nonNegativeInt()),
            optional("created_at", isoTimestamp()))),
    FEATURE_COMPLETED("FeatureCompleted", AggregateType.FEATURE, List.of(
            required("feature_slug", Rules.FEATURE),
            required("total_wps", nonNegativeInt()),
            optional("completed_at", isoTimestamp()),
            optional("total_duration", Rules.DURATION))),
    HISTORY_ADDED("HistoryAdded", AggregateType.WORK_PACKAGE, List.of(
            required("wp_id", Rules.WP),
            required("entry_type", oneOf(List.of("note", "review", "error", "comment"))),
            required("entry_content", text()),
            optional("author", text()))),
    ERROR_LOGGED("ErrorLogged", AggregateType.WORK_PACKAGE, List.of(
            required("error_type", oneOf(List.of("validation", "runtime", "network", "auth", "unknown"))),
            required("error_message", text()),
            optional("wp_id", Rules.WP),
            optional("stack_trace", text()),
            optional("agent_id", text()))),
    DEPENDENCY_RESOLVED("DependencyResolved", AggregateType.WORK_PACKAGE, List.of(
            required("wp_id", Rules.WP),
            required("dependency_wp_id", Rules.WP),
            required("resolution_type", oneOf(List.of("completed", "skipped", "merged"))))),
    MISSION_DOSSIER_ARTIFACT_INDEXED("MissionDossierArtifactIndexed", AggregateType.MISSION_DOSSIER, List.of(
            required("feature_slug", Rules.FEATURE),
            required("artifact_key", text()),
            required("artifact_path", text()),
            required("content_hash_sha256", Rules.SHA256),
            optional("size_bytes", nonNegativeInt()),
            optional("artifact_class", text()))),
    MISSION_DOSSIER_ARTIFACT_MISSING("MissionDossierArtifactMissing", AggregateType.MISSION_DOSSIER, List.of(
            required("feature_slug", Rules.FEATURE),
            required("artifact_key", text()),
            optional("expected_path", text()),
            optional("reason", text()))),
    MISSION_DOSSIER_SNAPSHOT_COMPUTED("MissionDossierSnapshotComputed", AggregateType.MISSION_DOSSIER, List.of(
            required("feature_slug", Rules.FEATURE),
            required("parity_hash_sha256", Rules.SHA256),
            required("artifact_count", nonNegativeInt()),
            optional("computed_at", isoTimestamp()))),
    MISSION_DOSSIER_PARITY_DRIFT_DETECTED("MissionDossierParityDriftDetected", AggregateType.MISSION_DOSSIER, List.of(
            required("feature_slug", Rules.FEATURE),
            required("expected_hash", Rules.SHA256),
            required("actual_hash", Rules.SHA256),
            optional("drifted_artifacts", listOf(text()))));

    private final String wireName;
    private final AggregateType defaultAggregateType;
    private final List<PayloadField> fields;

    EventType(String wireName, AggregateType defaultAggregateType, List<PayloadField> fields) {
        this.wireName = wireName;
        this.defaultAggregateType = defaultAggregateType;
        this.fields = fields;
    }

    /** The exact string in {@code event_type}. */
    public String wireName() {
        return wireName;
    }

    /** The aggregate type used when a caller does not name one. */
    public AggregateType defaultAggregateType() {
        return defaultAggregateType;
    }

    /** The payload fields, required ones first as listed in the contract. */
    public List<PayloadField> fields() {
        return fields;
    }

    /** The event type with this wire name, if any. */
    public static Optional<EventType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    /** All wire names, for help text and error messages. */
    public static List<String> wireNames() {
        return Arrays.stream(values()).map(EventType::wireName).toList();
    }

    /** Rules shared by several types; a nested class because enum constants cannot see static fields. */
    private static final class Rules {
        static final List<String> LANES = List.of("planned", "claimed", "in_progress", "for_review", "done", "blocked", "canceled");
        static final FieldRule WP = matching(Patterns.WP_ID, "WP01");
        static final FieldRule FEATURE = matching(Patterns.FEATURE_SLUG, "001-offline-sync");
        static final FieldRule SHA256 = matching(Patterns.SHA256_HEX, "64 lowercase hex digits");
        /** Seconds as a number, or the Python tool's human text (e.g. "2h 15m"); each kind gets its own message. */
        static final FieldRule DURATION = v -> {
            if (v.isTextual()) {
                return text().check(v);
            }
            if (v.isNumber()) {
                return nonNegativeNumber().check(v);
            }
            return java.util.Optional.of("must be a number of seconds >= 0 or a string (got "
                    + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ")");
        };
    }
}
