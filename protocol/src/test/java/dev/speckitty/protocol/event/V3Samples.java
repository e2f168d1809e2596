package dev.speckitty.protocol.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.json.Json;
import java.util.List;
import java.util.Map;

/**
 * Valid spec-kitty 3.x envelopes of every type, built from each field's accepted example in the 3.x
 * table (every optional field filled in), with the envelope written in the member order 3.2.5 uses.
 */
public final class V3Samples {
    /** The 26 event types and 7 proof types of the 3.2.5 reference, copied from it (not from the table). */
    public static final List<String> TYPES = List.of("BuildRegistered", "BuildHeartbeat", "WPStatusChanged", "WPCreated",
            "WPAssigned", "MissionCreated", "MissionClosed", "MissionStarted", "MissionCompleted", "PhaseEntered",
            "MissionRunStarted", "NextStepIssued", "NextStepAutoCompleted", "DecisionInputRequested",
            "DecisionInputAnswered", "MissionRunCompleted", "TokenUsageRecorded", "DiffSummaryRecorded", "HistoryAdded",
            "ErrorLogged", "DependencyResolved", "MissionDossierArtifactIndexed", "MissionDossierArtifactMissing",
            "MissionDossierSnapshotComputed", "MissionDossierParityDriftDetected", "MissionOriginBound",
            "ProofItemRecorded", "ReviewProofRecorded", "TestEvidenceCaptured", "BenchmarkEvidenceAttached",
            "SecurityScanCompleted", "PullRequestLineageRecorded", "HumanApprovalRecorded");

    private V3Samples() {
    }

    /** The payload of a valid event of {@code type}: every field of the table with its accepted example. */
    public static ObjectNode payload(String type) {
        TypeRules rules = Generation.V3.rules().type(type).orElseThrow();
        ObjectNode p = Json.object();
        for (PayloadField f : rules.fields()) {
            p.set(f.name(), f.examples().orElseThrow().accepted().deepCopy());
        }
        return p;
    }

    /** A valid envelope of {@code type} for {@code team}, with {@code eventId}. */
    public static ObjectNode event(String type, String team, String eventId) {
        TypeRules rules = Generation.V3.rules().type(type).orElseThrow();
        ObjectNode e = Json.object();
        e.put("event_id", eventId);
        e.put("event_type", type);
        e.put("aggregate_id", rules.aggregateTypes().get(0).equals("WorkPackage") ? "WP01" : "m-" + type);
        e.put("aggregate_type", rules.aggregateTypes().get(0));
        e.put("schema_version", "3.0.0");
        e.put("build_id", "6f1c0a52-2f5e-4a8e-9d1e-0c3c6b1f2a11");
        e.set("payload", payload(type));
        e.put("node_id", "b805cd5cee74");
        e.put("lamport_clock", 41);
        e.putNull("causation_id");
        e.put("correlation_id", eventId);
        e.put("timestamp", "2026-11-24T10:00:00+00:00");
        e.put("team_slug", team);
        e.put("project_uuid", "6f1c0a52-2f5e-4a8e-9d1e-0c3c6b1f2a11");
        e.put("project_slug", "offline-sync");
        e.put("git_branch", "main");
        e.put("head_commit_sha", "3f1e2d4c5b6a79808f7e6d5c4b3a291807f6e5d4");
        e.put("repo_slug", "acme/offline-sync");
        e.putNull("drain_blocked_reason");
        return e;
    }

    /** {@link #event(String, String, String)} for team-a with a fixed id. */
    public static ObjectNode event(String type) {
        return event(type, "team-a", "01KAT0V6J8Q5R9S1T2V3W4X5Y6");
    }

    /** The required payload fields of each type, copied from the reference's "Required" column. */
    public static final Map<String, List<String>> REQUIRED = Map.ofEntries(
            Map.entry("BuildRegistered", List.of("build_id")),
            Map.entry("BuildHeartbeat", List.of("build_id")),
            Map.entry("WPStatusChanged", List.of("mission_slug", "wp_id", "from_lane", "to_lane", "actor", "execution_mode")),
            Map.entry("WPCreated", List.of("wp_id", "wp_title", "mission_slug", "actor")),
            Map.entry("WPAssigned", List.of("wp_id", "agent_id", "phase")),
            Map.entry("MissionCreated", List.of("mission_slug", "mission_number", "mission_type", "target_branch", "wp_count",
                    "friendly_name", "purpose_tldr", "purpose_context")),
            Map.entry("MissionClosed", List.of("mission_slug", "mission_number", "mission_type")),
            Map.entry("MissionStarted", List.of("mission_id", "mission_type", "initial_phase", "actor")),
            Map.entry("MissionCompleted", List.of("mission_id", "mission_type", "final_phase", "actor")),
            Map.entry("PhaseEntered", List.of("mission_id", "phase_name", "actor")),
            Map.entry("MissionRunStarted", List.of("run_id", "mission_type", "actor")),
            Map.entry("NextStepIssued", List.of("run_id", "step_id", "agent_id", "actor")),
            Map.entry("NextStepAutoCompleted", List.of("run_id", "step_id", "agent_id", "result", "actor")),
            Map.entry("DecisionInputRequested", List.of("run_id", "decision_id", "step_id", "question", "actor")),
            Map.entry("DecisionInputAnswered", List.of("run_id", "decision_id", "answer", "actor")),
            Map.entry("MissionRunCompleted", List.of("run_id", "mission_type", "actor")),
            Map.entry("TokenUsageRecorded", List.of("mission_id", "input_tokens", "output_tokens", "total_tokens",
                    "estimated_cost_usd", "source")),
            Map.entry("DiffSummaryRecorded", List.of("mission_id", "base_ref", "head_ref", "source", "files_changed",
                    "lines_added", "lines_deleted")),
            Map.entry("HistoryAdded", List.of("wp_id", "entry_type", "entry_content")),
            Map.entry("ErrorLogged", List.of("error_type", "error_message")),
            Map.entry("DependencyResolved", List.of("wp_id", "dependency_wp_id", "resolution_type")),
            Map.entry("MissionDossierArtifactIndexed", List.of("namespace", "artifact_id", "content_ref", "indexed_at")),
            Map.entry("MissionDossierArtifactMissing", List.of("namespace", "expected_identity", "manifest_step", "checked_at")),
            Map.entry("MissionDossierSnapshotComputed", List.of("namespace", "snapshot_hash", "artifact_count",
                    "anomaly_count", "computed_at")),
            Map.entry("MissionDossierParityDriftDetected", List.of("namespace", "expected_hash", "actual_hash", "drift_kind",
                    "detected_at")),
            Map.entry("MissionOriginBound", List.of("mission_slug", "provider", "external_issue_id", "external_issue_key",
                    "external_issue_url", "title")),
            Map.entry("ProofItemRecorded", proof("proof_kind")),
            Map.entry("ReviewProofRecorded", proof("review_kind", "verdict")),
            Map.entry("TestEvidenceCaptured", proof("test_command", "exit_code", "status")),
            Map.entry("BenchmarkEvidenceAttached", proof("benchmark_name")),
            Map.entry("SecurityScanCompleted", proof("scanner", "status", "findings_summary")),
            Map.entry("PullRequestLineageRecorded", proof("provider", "repository", "pull_request_url")),
            Map.entry("HumanApprovalRecorded", proof("approver", "approval_status")));

    private static List<String> proof(String... own) {
        List<String> common = List.of("proof_schema_version", "source", "confidence", "occurred_at", "observed_at", "summary",
                "subject", "actor", "artifact_refs", "idempotency_key");
        return java.util.stream.Stream.concat(common.stream(), java.util.Arrays.stream(own)).toList();
    }
}
