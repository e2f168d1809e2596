package dev.speckitty.protocol.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A valid event of every type, with every optional payload field filled in, for tests to break one field at a time. */
public final class EventSamples {
    public static final String SHA_A = "a".repeat(64);
    public static final String SHA_B = "0123456789abcdef".repeat(4);

    /**
     * The required payload fields of each type, copied from DESIGN.md and from our definition of the
     * four MissionDossier types (docs/PROTOCOL.md); independent of {@link EventType} on purpose.
     */
    public static final Map<String, List<String>> REQUIRED = requiredFields();

    private EventSamples() {
    }

    /** The payload JSON of a valid event of {@code type}. */
    public static String payload(String type) {
        return switch (type) {
            case "WPStatusChanged" -> """
                    {"wp_id": "WP01", "from_lane": "planned", "to_lane": "in_progress", "actor": "ada",
                     "feature_slug": "001-offline-sync", "policy_metadata": {"source": "cli"}}""";
            case "WPCreated" -> """
                    {"wp_id": "WP02", "title": "Queue store", "feature_slug": "001-offline-sync", "dependencies": ["WP01"]}""";
            case "WPAssigned" -> """
                    {"wp_id": "WP02", "agent_id": "claude", "phase": "implementation", "retry_count": 0}""";
            case "FeatureCreated" -> """
                    {"feature_slug": "001-offline-sync", "feature_number": "001", "target_branch": "main", "wp_count": 4,
                     "created_at": "2026-11-24T09:59:00+00:00"}""";
            case "FeatureCompleted" -> """
                    {"feature_slug": "001-offline-sync", "total_wps": 4, "completed_at": "2026-11-30T18:00:00+00:00",
                     "total_duration": 3600.5}""";
            case "HistoryAdded" -> """
                    {"wp_id": "WP01", "entry_type": "note", "entry_content": "Started on the queue store", "author": "ada"}""";
            case "ErrorLogged" -> """
                    {"error_type": "runtime", "error_message": "disk full", "wp_id": "WP03", "stack_trace": "at x()",
                     "agent_id": "claude"}""";
            case "DependencyResolved" -> """
                    {"wp_id": "WP03", "dependency_wp_id": "WP01", "resolution_type": "completed"}""";
            case "MissionDossierArtifactIndexed" -> """
                    {"feature_slug": "001-offline-sync", "artifact_key": "spec", "artifact_path": "kitty-specs/001/spec.md",
                     "content_hash_sha256": "%s", "size_bytes": 2048, "artifact_class": "spec"}""".formatted(SHA_A);
            case "MissionDossierArtifactMissing" -> """
                    {"feature_slug": "001-offline-sync", "artifact_key": "plan", "expected_path": "kitty-specs/001/plan.md",
                     "reason": "not written yet"}""";
            case "MissionDossierSnapshotComputed" -> """
                    {"feature_slug": "001-offline-sync", "parity_hash_sha256": "%s", "artifact_count": 7,
                     "computed_at": "2026-11-24T10:05:00+00:00"}""".formatted(SHA_A);
            case "MissionDossierParityDriftDetected" -> """
                    {"feature_slug": "001-offline-sync", "expected_hash": "%s", "actual_hash": "%s",
                     "drifted_artifacts": ["spec", "plan"]}""".formatted(SHA_A, SHA_B);
            default -> throw new IllegalArgumentException("no sample for " + type);
        };
    }

    /** A complete, valid envelope of {@code type} (as a mutable tree). */
    public static ObjectNode event(String type) {
        EventType t = EventType.fromWire(type).orElseThrow();
        ObjectNode e = Json.object();
        e.put("event_id", "01KAT0V6J8Q5R9S1T2V3W4X5Y6");
        e.put("event_type", type);
        e.put("aggregate_id", t.defaultAggregateType() == AggregateType.WORK_PACKAGE ? "WP01" : "001-offline-sync");
        e.put("aggregate_type", t.defaultAggregateType().wireName());
        e.set("payload", Json.tree(payload(type)));
        e.put("node_id", "b805cd5cee74");
        e.put("lamport_clock", 40);
        e.putNull("causation_id");
        e.put("timestamp", "2026-11-24T10:00:00+00:00");
        e.put("team_slug", "team-a");
        e.put("project_uuid", "6f1c0a52-2f5e-4a8e-9d1e-0c3c6b1f2a11");
        e.put("project_slug", "offline-sync");
        e.put("git_branch", "main");
        e.put("head_commit_sha", "3f1e2d4c5b6a79808f7e6d5c4b3a291807f6e5d4");
        e.put("repo_slug", "acme/offline-sync");
        return e;
    }

    private static Map<String, List<String>> requiredFields() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("WPStatusChanged", List.of("wp_id", "from_lane", "to_lane"));
        m.put("WPCreated", List.of("wp_id", "title", "feature_slug"));
        m.put("WPAssigned", List.of("wp_id", "agent_id", "phase"));
        m.put("FeatureCreated", List.of("feature_slug", "feature_number", "target_branch", "wp_count"));
        m.put("FeatureCompleted", List.of("feature_slug", "total_wps"));
        m.put("HistoryAdded", List.of("wp_id", "entry_type", "entry_content"));
        m.put("ErrorLogged", List.of("error_type", "error_message"));
        m.put("DependencyResolved", List.of("wp_id", "dependency_wp_id", "resolution_type"));
        m.put("MissionDossierArtifactIndexed", List.of("feature_slug", "artifact_key", "artifact_path", "content_hash_sha256"));
        m.put("MissionDossierArtifactMissing", List.of("feature_slug", "artifact_key"));
        m.put("MissionDossierSnapshotComputed", List.of("feature_slug", "parity_hash_sha256", "artifact_count"));
        m.put("MissionDossierParityDriftDetected", List.of("feature_slug", "expected_hash", "actual_hash"));
        return java.util.Collections.unmodifiableMap(m);
    }
}
