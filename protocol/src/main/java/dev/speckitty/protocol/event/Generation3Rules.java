package dev.speckitty.protocol.event;

import static dev.speckitty.protocol.event.FieldRule.bool;
import static dev.speckitty.protocol.event.FieldRule.compactJsonAtMost;
import static dev.speckitty.protocol.event.FieldRule.constant;
import static dev.speckitty.protocol.event.FieldRule.intAtLeast;
import static dev.speckitty.protocol.event.FieldRule.isoTimestamp;
import static dev.speckitty.protocol.event.FieldRule.listOf;
import static dev.speckitty.protocol.event.FieldRule.matching;
import static dev.speckitty.protocol.event.FieldRule.maxChars;
import static dev.speckitty.protocol.event.FieldRule.members;
import static dev.speckitty.protocol.event.FieldRule.nonEmpty;
import static dev.speckitty.protocol.event.FieldRule.nonNegativeInt;
import static dev.speckitty.protocol.event.FieldRule.nonNegativeNumber;
import static dev.speckitty.protocol.event.FieldRule.numberIn;
import static dev.speckitty.protocol.event.FieldRule.object;
import static dev.speckitty.protocol.event.FieldRule.oneOf;
import static dev.speckitty.protocol.event.FieldRule.string;
import static dev.speckitty.protocol.event.FieldRule.text;

import dev.speckitty.protocol.event.PayloadField.Presence;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rules of spec-kitty 3.x events ({@code schema_version} 3.x.y) as data, one row per field, from
 * the 3.2.5 reference (../shared/reference/spec-kitty-3.2.5-protocol.md, sections 1 and 2): the
 * envelope, the 26 event types and the 7 proof types. Each row carries a value its rule accepts and
 * one it refuses, which the tests run. Legend of the reference: {@code s} = {@link #S} (at least one
 * character), {@code s*} = {@link #S_STAR} (not blank), {@code s?} = {@link #S_OPT} (any string, or
 * null when the field is optional).
 */
final class Generation3Rules {
    private static final FieldRule S = nonEmpty();
    private static final FieldRule S_STAR = text();
    private static final FieldRule S_OPT = string();
    private static final FieldRule N0 = nonNegativeInt();
    private static final FieldRule WP = matching(Patterns.WP_ID, "WP01");
    private static final FieldRule DT = isoTimestamp();
    private static final FieldRule HEX64 = matching(Patterns.SHA256_HEX, "64 lowercase hex digits");
    private static final FieldRule SLUG = matching(Patterns.MISSION_SLUG, "001-offline-sync or offline-sync-01kat0v6");
    private static final FieldRule LIST = v -> v.isArray() ? Optional.empty()
            : Optional.of("must be a list (got " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ")");
    private static final FieldRule UUID = matching(Patterns.UUID, "6f1c0a52-2f5e-4a8e-9d1e-0c3c6b1f2a11");

    static final List<String> DISPLAY_LANES = List.of("planned", "claimed", "in_progress", "for_review", "in_review",
            "approved", "done", "blocked", "canceled");
    /** {@code genesis} is a lane an event can leave, never one it enters. */
    static final List<String> FROM_LANES = concat(List.of("genesis"), DISPLAY_LANES);
    static final List<String> AGGREGATE_TYPES = List.of("Build", "WorkPackage", "Mission", "MissionDossier");

    /** {@code actor{}}: who acted, as 3.x mission-run and proof events name them. */
    private static final List<PayloadField> ACTOR_MEMBERS = List.of(
            req("actor_id", S_STAR, "\"ada\"", "\" \""),
            req("actor_type", oneOf(List.of("human", "llm", "service")), "\"human\"", "\"robot\""));
    private static final FieldRule ACTOR = members(ACTOR_MEMBERS, false);
    private static final String ACTOR_OK = "{\"actor_id\": \"ada\", \"actor_type\": \"human\"}";
    private static final String ACTOR_BAD = "{\"actor_id\": \"ada\", \"actor_type\": \"robot\"}";

    /** The dossier sub-objects; they allow no members beyond these. */
    private static final FieldRule NAMESPACE = members(List.of(
            req("project_uuid", S, "\"p\"", "\"\""), req("mission_slug", S, "\"m\"", "\"\""),
            req("target_branch", S, "\"main\"", "\"\""), req("mission_type", S, "\"software-dev\"", "\"\""),
            req("manifest_version", S, "\"1\"", "\"\""), opt("step_id", S_OPT, "\"s\"", "5")), true);
    private static final String NAMESPACE_OK = "{\"project_uuid\": \"6f1c0a52-2f5e-4a8e-9d1e-0c3c6b1f2a11\", "
            + "\"mission_slug\": \"001-offline-sync\", \"target_branch\": \"main\", \"mission_type\": \"software-dev\", "
            + "\"manifest_version\": \"1\"}";
    private static final String NAMESPACE_BAD = "{\"project_uuid\": \"6f1c0a52-2f5e-4a8e-9d1e-0c3c6b1f2a11\", "
            + "\"target_branch\": \"main\", \"mission_type\": \"software-dev\", \"manifest_version\": \"1\"}";
    private static final FieldRule ARTIFACT_IDENTITY = members(List.of(
            req("mission_type", S, "\"software-dev\"", "\"\""), req("path", S, "\"spec.md\"", "\"\""),
            // "other" is the legacy name of "runtime", still read.
            req("artifact_class", oneOf(List.of("input", "workflow", "output", "evidence", "policy", "runtime", "other")),
                    "\"output\"", "\"spec\""),
            opt("wp_id", S_OPT, "\"WP01\"", "5"), opt("run_id", S_OPT, "\"r1\"", "5")), true);
    private static final String IDENTITY_OK = "{\"mission_type\": \"software-dev\", \"path\": \"kitty-specs/001/spec.md\", "
            + "\"artifact_class\": \"output\"}";
    private static final String IDENTITY_BAD = "{\"mission_type\": \"software-dev\", \"path\": \"spec.md\", "
            + "\"artifact_class\": \"output\", \"size\": 3}";
    private static final FieldRule CONTENT_REF = members(List.of(
            req("algorithm", oneOf(List.of("sha256", "sha512", "md5")), "\"sha256\"", "\"crc32\""),
            req("hash", matching(Patterns.HEX, "lowercase hex digits"), "\"ab12\"", "\"AB12\""),
            opt("size_bytes", N0, "2048", "-1"), opt("encoding", S_OPT, "\"utf-8\"", "5")), true);
    private static final String CONTENT_REF_OK = "{\"algorithm\": \"sha256\", \"hash\": \"" + "a".repeat(64)
            + "\", \"size_bytes\": 2048}";
    private static final String CONTENT_REF_BAD = "{\"algorithm\": \"crc32\", \"hash\": \"00ff\"}";

    /** The envelope (reference section 1). */
    static final List<PayloadField> ENVELOPE = List.of(
            req("event_id", matching(Patterns.ULID, "a ULID").or(matching(Patterns.UUID, "a UUID"))
                    .or(matching(Patterns.UUID_HEX, "01KAT0V6J8Q5R9S1T2V3W4X5Y6, a UUID, or 32 hex digits")),
                    "\"01KAT0V6J8Q5R9S1T2V3W4X5Y6\"", "\"01kat0v6\""),
            req("event_type", S, "\"WPStatusChanged\"", "\"FeatureCreated\""),
            req("aggregate_id", S, "\"WP01\"", "\"\""),
            req("aggregate_type", oneOf(AGGREGATE_TYPES), "\"WorkPackage\"", "\"Feature\""),
            req("schema_version", matching(Generation.V3_VERSION, Generation.V3_SCHEMA_VERSION), "\"3.0.0\"", "\"4.0.0\""),
            req("build_id", string().and(v -> v.asText().isEmpty() ? Optional.empty() : UUID.check(v)
                            .map(p -> p + "; an empty string when the build is unknown")),
                    "\"\"", "\"build-1\""),
            new PayloadField("payload", Presence.REQUIRED, object(), Optional.empty()),
            req("node_id", matching(Patterns.NODE_ID, "b805cd5cee74"), "\"b805cd5cee74\"", "\"node id\""),
            req("lamport_clock", EnvelopeRules.lamportClock(1), "1", "0"),
            opt("causation_id", EnvelopeRules.ulidOrUuid(), "\"6f1c0a52-2f5e-4a8e-9d1e-0c3c6b1f2a11\"", "\"parent\""),
            req("correlation_id", EnvelopeRules.ulidOrUuid(), "\"01KAT0V6J8Q5R9S1T2V3W4X5Y6\"", "\"\""),
            req("timestamp", DT, "\"2026-11-24T10:00:00+00:00\"", "\"2026-11-24 10:00\""),
            // The Private Teamspace id, or null while the event is not routed to a team yet.
            opt("team_slug", S_OPT, "\"team-a\"", "7"),
            opt("project_uuid", UUID, "\"6f1c0a52-2f5e-4a8e-9d1e-0c3c6b1f2a11\"", "\"project-1\""),
            opt("project_slug", S_OPT, "\"offline-sync\"", "1"),
            opt("git_branch", S_OPT, "\"main\"", "true"),
            opt("head_commit_sha", S_OPT, "\"3f1e2d4c5b6a79808f7e6d5c4b3a291807f6e5d4\"", "40"),
            opt("repo_slug", S_OPT, "\"acme/offline-sync\"", "[]"),
            opt("drain_blocked_reason", oneOf(List.of("sync_disabled", "no_auth", "no_team")), "\"no_auth\"", "\"offline\""));

    /** Members 3.x moved into the payload; an envelope holding one at its top level is refused. */
    static final List<String> FORBIDDEN = List.of("feature_slug", "feature_number", "from_lane", "to_lane", "actor",
            "force", "reason", "review_ref", "execution_mode", "evidence");

    private static final List<String> BUILD = List.of("Build");
    private static final List<String> WORK_PACKAGE = List.of("WorkPackage");
    private static final List<String> MISSION = List.of("Mission");
    private static final List<String> DOSSIER = List.of("MissionDossier");

    private static final List<PayloadField> BUILD_FIELDS = concat(
            List.of(req("build_id", S, "\"6f1c0a52-2f5e-4a8e-9d1e-0c3c6b1f2a11\"", "\"\"")),
            optionalStrings("node_id", "project_uuid", "project_slug", "project_name", "repo_slug", "branch", "head_commit",
                    "developer_name", "machine_name", "workspace_path"));
    private static final List<PayloadField> MISSION_REFS = optionalStrings("mission_id", "mission_slug");

    /** Members of every proof payload (reference, "Proof events"). */
    private static final List<PayloadField> PROOF_COMMON = List.of(
            req("proof_schema_version", constant("1.0.0"), "\"1.0.0\"", "\"2.0.0\""),
            req("source", S_STAR, "\"ci\"", "\"  \""),
            req("confidence", numberIn(0, 1), "0.9", "1.5"),
            req("occurred_at", DT, "\"2026-11-24T10:00:00+00:00\"", "\"soon\""),
            req("observed_at", DT, "\"2026-11-24T10:00:01+00:00\"", "\"2026-11-24\""),
            req("summary", object().and(compactJsonAtMost(4096)), "{\"text\": \"ok\"}",
                    "{\"text\": \"" + "x".repeat(4100) + "\"}"),
            req("subject", Generation3Rules::subject, "{\"subject_type\": \"work_package\", \"subject_id\": \"WP01\", \"wp_id\": \"WP01\"}",
                    "{\"subject_type\": \"work_package\", \"subject_id\": \"WP01\"}"),
            req("actor", members(concat(ACTOR_MEMBERS, optionalStrings("display_name", "provider", "model", "tool")), false),
                    "{\"actor_id\": \"ci-bot\", \"actor_type\": \"service\", \"tool\": \"pytest\"}", "{\"actor_type\": \"service\"}"),
            req("artifact_refs", listOf(members(List.of(
                    req("kind", oneOf(List.of("file", "log", "junit", "coverage", "report", "url", "commit", "pull_request",
                            "benchmark", "security_scan", "other")), "\"log\"", "\"video\""),
                    req("uri", S, "\"file:///tmp/x\"", "\"\""),
                    opt("sha256", HEX64, "\"" + "a".repeat(64) + "\"", "\"abc\""),
                    opt("size_bytes", N0, "1", "-1"),
                    opt("media_type", S_OPT, "\"text/plain\"", "1"),
                    opt("label", S_OPT, "\"log\"", "1")), false), 20),
                    "[{\"kind\": \"junit\", \"uri\": \"reports/junit.xml\"}]", "[{\"kind\": \"video\", \"uri\": \"x\"}]"),
            req("idempotency_key", HEX64, "\"" + "b".repeat(64) + "\"", "\"key-1\""),
            opt("mission_id", S_OPT, "\"m-1\"", "1"),
            opt("mission_slug", S_OPT, "\"001-offline-sync\"", "1"),
            opt("wp_id", WP, "\"WP01\"", "\"wp1\""));

    static final List<TypeRules> TYPES = List.of(
            TypeRules.of("BuildRegistered", BUILD, BUILD_FIELDS),
            TypeRules.of("BuildHeartbeat", BUILD, concat(BUILD_FIELDS, List.of(
                    opt("remote_head", S_OPT, "\"abc\"", "1"),
                    opt("ahead_of_remote", N0, "2", "-1"),
                    opt("behind_remote", N0, "0", "\"0\""),
                    opt("recent_commits", LIST, "[\"abc\"]", "\"abc\"")))),
            TypeRules.of("WPStatusChanged", WORK_PACKAGE, List.of(
                    req("mission_slug", S, "\"001-offline-sync\"", "\"\""),
                    req("wp_id", WP, "\"WP01\"", "\"WP1\""),
                    req("from_lane", oneOf(FROM_LANES), "\"genesis\"", "\"todo\""),
                    req("to_lane", oneOf(DISPLAY_LANES), "\"in_review\"", "\"genesis\""),
                    req("actor", S, "\"ada\"", "\"\""),
                    req("execution_mode", oneOf(List.of("worktree", "direct_repo")), "\"direct_repo\"", "\"remote\""),
                    opt("force", bool(), "false", "\"yes\""),
                    opt("reason", S_OPT, "\"review passed\"", "1"),
                    opt("review_ref", S_OPT, "\"PR-7\"", "1"),
                    opt("evidence", object(), "{\"repos\": [{\"repo\": \"acme/x\", \"branch\": \"main\", \"commit\": \"abc\"}]}", "[]"))),
            TypeRules.of("WPCreated", WORK_PACKAGE, List.of(
                    req("wp_id", WP, "\"WP02\"", "\"2\""),
                    req("wp_title", S, "\"Queue store\"", "\"\""),
                    req("mission_slug", S, "\"001-offline-sync\"", "\"\""),
                    req("actor", S, "\"cli\"", "\"\""),
                    opt("depends_on", listOf(WP), "[\"WP01\"]", "[\"01\"]"))),
            TypeRules.of("WPAssigned", WORK_PACKAGE, List.of(
                    req("wp_id", WP, "\"WP02\"", "\"WP002\""),
                    req("agent_id", S, "\"claude\"", "\"\""),
                    req("phase", oneOf(List.of("implementation", "review")), "\"review\"", "\"testing\""),
                    opt("retry_count", N0, "1", "-1"))),
            TypeRules.of("MissionCreated", MISSION, List.of(
                    req("mission_slug", SLUG, "\"offline-sync-01kat0v6\"", "\"Offline Sync\""),
                    new PayloadField("mission_number", Presence.REQUIRED_NULLABLE, N0,
                            Optional.of(new PayloadField.Examples(dev.speckitty.protocol.json.Json.tree("null"),
                                    dev.speckitty.protocol.json.Json.tree("\"001\"")))),
                    req("mission_type", S, "\"software-dev\"", "\"\""),
                    req("target_branch", S, "\"main\"", "\"\""),
                    req("wp_count", N0, "4", "-4"),
                    req("friendly_name", S_STAR, "\"Offline sync\"", "\" \""),
                    req("purpose_tldr", S_STAR, "\"Work offline\"", "\"\""),
                    req("purpose_context", S_STAR, "\"Developers travel\"", "\"\\t\""),
                    opt("mission_id", S_OPT, "\"01KAT0V6J8Q5R9S1T2V3W4X5Y6\"", "1"),
                    opt("created_at", DT, "\"2026-11-24T09:59:00+00:00\"", "\"2026-11-24T09:59:00\""))),
            TypeRules.of("MissionClosed", MISSION, List.of(
                    req("mission_slug", S, "\"001-offline-sync\"", "\"\""),
                    req("mission_number", intAtLeast(1), "1", "0"),
                    req("mission_type", S, "\"software-dev\"", "\"\""))),
            TypeRules.of("MissionStarted", MISSION, concat(strings("mission_id", "mission_type", "initial_phase", "actor"),
                    optionalStrings("mission_slug"))),
            TypeRules.of("MissionCompleted", MISSION, concat(strings("mission_id", "mission_type", "final_phase", "actor"),
                    optionalStrings("mission_slug"))),
            TypeRules.of("PhaseEntered", MISSION, concat(strings("mission_id", "phase_name", "actor"),
                    optionalStrings("previous_phase", "mission_slug"))),
            TypeRules.of("MissionRunStarted", MISSION, concat(strings("run_id", "mission_type"),
                    List.of(req("actor", ACTOR, ACTOR_OK, ACTOR_BAD)), MISSION_REFS)),
            TypeRules.of("NextStepIssued", MISSION, concat(strings("run_id", "step_id", "agent_id"),
                    List.of(req("actor", ACTOR, ACTOR_OK, ACTOR_BAD)), MISSION_REFS)),
            TypeRules.of("NextStepAutoCompleted", MISSION, concat(strings("run_id", "step_id", "agent_id"), List.of(
                    req("result", oneOf(List.of("success", "failed", "blocked")), "\"success\"", "\"ok\""),
                    req("actor", ACTOR, ACTOR_OK, ACTOR_BAD)), MISSION_REFS)),
            TypeRules.of("DecisionInputRequested", MISSION, concat(strings("run_id", "decision_id", "step_id", "question"), List.of(
                    req("actor", ACTOR, ACTOR_OK, ACTOR_BAD),
                    opt("options", LIST, "[\"yes\", \"no\"]", "\"yes\""),
                    opt("input_key", S_OPT, "\"choice\"", "1")), MISSION_REFS)),
            TypeRules.of("DecisionInputAnswered", MISSION, concat(strings("run_id", "decision_id", "answer"),
                    List.of(req("actor", ACTOR, ACTOR_OK, ACTOR_BAD)), MISSION_REFS)),
            TypeRules.of("MissionRunCompleted", MISSION, concat(strings("run_id", "mission_type"),
                    List.of(req("actor", ACTOR, ACTOR_OK, ACTOR_BAD)), MISSION_REFS)),
            TypeRules.of("TokenUsageRecorded", MISSION, concat(List.of(
                    req("mission_id", S, "\"m-1\"", "\"\""),
                    req("input_tokens", N0, "1200", "-1"),
                    req("output_tokens", N0, "300", "1.5"),
                    req("total_tokens", N0, "1500", "\"1500\""),
                    req("estimated_cost_usd", nonNegativeNumber(), "0.0125", "-0.01"),
                    req("source", S, "\"claude\"", "\"\"")),
                    optionalStrings("run_id", "step_id", "wp_id", "phase_name", "provider", "model"),
                    List.of(opt("actor", ACTOR, ACTOR_OK, ACTOR_BAD)))),
            TypeRules.of("DiffSummaryRecorded", MISSION, concat(strings("mission_id", "base_ref", "head_ref", "source"), List.of(
                    req("files_changed", N0, "3", "-3"),
                    req("lines_added", N0, "40", "\"40\""),
                    req("lines_deleted", N0, "2", "null")),
                    optionalStrings("run_id", "step_id", "wp_id", "phase_name"))),
            TypeRules.of("HistoryAdded", WORK_PACKAGE, List.of(
                    req("wp_id", WP, "\"WP01\"", "\"W01\""),
                    req("entry_type", oneOf(List.of("note", "review", "error", "comment")), "\"comment\"", "\"log\""),
                    req("entry_content", S, "\"Started\"", "\"\""),
                    opt("author", S_OPT, "\"ada\"", "{}"))),
            TypeRules.of("ErrorLogged", List.of("WorkPackage", "Mission"), concat(List.of(
                    req("error_type", oneOf(List.of("validation", "runtime", "network", "auth", "unknown")), "\"network\"", "\"disk\""),
                    req("error_message", S, "\"timeout\"", "\"\"")),
                    optionalStrings("wp_id", "stack_trace", "agent_id"))),
            TypeRules.of("DependencyResolved", WORK_PACKAGE, List.of(
                    req("wp_id", WP, "\"WP03\"", "\"WP-3\""),
                    req("dependency_wp_id", WP, "\"WP01\"", "\"\""),
                    req("resolution_type", oneOf(List.of("completed", "skipped", "merged")), "\"merged\"", "\"done\""))),
            TypeRules.of("MissionDossierArtifactIndexed", DOSSIER, List.of(
                    req("namespace", NAMESPACE, NAMESPACE_OK, NAMESPACE_BAD),
                    req("artifact_id", ARTIFACT_IDENTITY, IDENTITY_OK, IDENTITY_BAD),
                    req("content_ref", CONTENT_REF, CONTENT_REF_OK, CONTENT_REF_BAD),
                    req("indexed_at", S, "\"2026-11-24T10:05:00+00:00\"", "\"\""),
                    opt("provenance", object(), "{\"tool\": \"spec-kitty\"}", "\"cli\""),
                    opt("step_id", S_OPT, "\"plan\"", "3"),
                    opt("context_diagnostics", object(), "{}", "[]"),
                    opt("supersedes", object(), "{\"hash\": \"ab\"}", "\"ab\""))),
            TypeRules.of("MissionDossierArtifactMissing", DOSSIER, List.of(
                    req("namespace", NAMESPACE, NAMESPACE_OK, NAMESPACE_BAD),
                    req("expected_identity", ARTIFACT_IDENTITY, IDENTITY_OK, IDENTITY_BAD),
                    req("manifest_step", S, "\"plan\"", "\"\""),
                    req("checked_at", S, "\"2026-11-24T10:05:00+00:00\"", "5"),
                    opt("last_known_ref", object(), CONTENT_REF_OK, "\"ab\""),
                    opt("remediation_hint", S_OPT, "\"run plan\"", "false"),
                    opt("context_diagnostics", object(), "{}", "1"))),
            TypeRules.of("MissionDossierSnapshotComputed", DOSSIER, List.of(
                    req("namespace", NAMESPACE, NAMESPACE_OK, NAMESPACE_BAD),
                    req("snapshot_hash", HEX64, "\"" + "c".repeat(64) + "\"", "\"" + "C".repeat(64) + "\""),
                    req("artifact_count", N0, "7", "-7"),
                    req("anomaly_count", N0, "0", "\"none\""),
                    req("computed_at", S, "\"2026-11-24T10:05:00+00:00\"", "\"\""),
                    opt("algorithm", S_OPT, "\"sha256\"", "256"),
                    opt("context_diagnostics", object(), "{}", "\"{}\""))),
            TypeRules.of("MissionDossierParityDriftDetected", DOSSIER, List.of(
                    req("namespace", NAMESPACE, NAMESPACE_OK, NAMESPACE_BAD),
                    req("expected_hash", HEX64, "\"" + "a".repeat(64) + "\"", "\"aa\""),
                    req("actual_hash", HEX64, "\"" + "0123456789abcdef".repeat(4) + "\"", "\"\""),
                    req("drift_kind", S, "\"content\"", "\"\""),
                    req("detected_at", S, "\"2026-11-24T10:05:00+00:00\"", "0"),
                    opt("artifact_ids_changed", listOf(object()), "[{\"path\": \"spec.md\"}]", "[\"spec.md\"]"),
                    opt("rebuild_hint", S_OPT, "\"rebuild\"", "[]"),
                    opt("context_diagnostics", object(), "{}", "true"))),
            TypeRules.of("MissionOriginBound", MISSION, concat(List.of(
                    req("mission_slug", SLUG, "\"001-offline-sync\"", "\"offline sync\""),
                    req("provider", oneOf(List.of("jira", "linear")), "\"linear\"", "\"github\"")),
                    strings("external_issue_id", "external_issue_key", "external_issue_url", "title"),
                    optionalStrings("mission_id"))),
            proof("ProofItemRecorded", List.of(
                    req("proof_kind", oneOf(List.of("artifact", "claim", "observation", "note", "other")), "\"claim\"", "\"proof\""))),
            proof("ReviewProofRecorded", List.of(
                    req("review_kind", oneOf(List.of("code_review", "qa", "mission_review", "security_review", "other")),
                            "\"code_review\"", "\"lint\""),
                    req("verdict", oneOf(List.of("approved", "changes_requested", "commented", "rejected", "unknown")),
                            "\"approved\"", "\"lgtm\""),
                    opt("review_ref", S_OPT, "\"PR-7\"", "7"))),
            proof("TestEvidenceCaptured", concat(List.of(
                    req("test_command", S_STAR, "\"mvn verify\"", "\"\""),
                    req("exit_code", N0, "0", "-1"),
                    req("status", oneOf(List.of("passed", "failed", "error", "skipped")), "\"passed\"", "\"green\"")),
                    optionalStrings("runner", "cwd", "branch", "commit", "build_id"),
                    List.of(opt("failure_summary", S_OPT.and(maxChars(2000)), "\"1 failed\"", "\"" + "x".repeat(2001) + "\""),
                            opt("duration_ms", N0, "1200", "-5"),
                            opt("total_tests", N0, "10", "1.5"),
                            opt("passed_tests", N0, "9", "\"9\""),
                            opt("failed_tests", N0, "1", "-1"),
                            opt("skipped_tests", N0, "0", "false")))),
            proof("BenchmarkEvidenceAttached", concat(List.of(req("benchmark_name", S_STAR, "\"ingest\"", "\" \"")),
                    optionalStrings("benchmark_suite", "baseline_ref", "comparison_ref"))),
            proof("SecurityScanCompleted", List.of(
                    req("scanner", S_STAR, "\"trivy\"", "\"\""),
                    req("status", oneOf(List.of("passed", "failed", "completed", "error")), "\"completed\"", "\"skipped\""),
                    req("findings_summary", object(), "{\"high\": 0}", "\"none\""))),
            proof("PullRequestLineageRecorded", concat(List.of(
                    req("provider", oneOf(List.of("github", "gitlab", "bitbucket", "other")), "\"github\"", "\"gitea\""),
                    req("repository", S_STAR, "\"acme/offline-sync\"", "\" \""),
                    req("pull_request_url", S_STAR, "\"https://github.com/acme/offline-sync/pull/7\"", "\"\""),
                    opt("pull_request_number", intAtLeast(1), "7", "0")),
                    optionalStrings("base_ref", "head_ref"))),
            proof("HumanApprovalRecorded", concat(List.of(
                    req("approver", S_STAR, "\"ada\"", "\"\""),
                    req("approval_status", oneOf(List.of("approved", "rejected", "requested_changes", "acknowledged")),
                            "\"acknowledged\"", "\"maybe\"")),
                    optionalStrings("approval_ref"))));

    /** The largest proof payload as compact JSON, in bytes. */
    static final int MAX_PROOF_PAYLOAD_BYTES = 16384;

    static final GenerationRules TABLE = new GenerationRules(Generation.V3.label(), ENVELOPE, FORBIDDEN, GenerationRules.index(TYPES));

    private Generation3Rules() {
    }

    /** A proof type: the common members, then its own; the whole payload at most 16 KiB. */
    private static TypeRules proof(String type, List<PayloadField> own) {
        return new TypeRules(type, List.of("WorkPackage", "Mission"), concat(PROOF_COMMON, own),
                compactJsonAtMost(MAX_PROOF_PAYLOAD_BYTES));
    }

    /** A proof's subject: its type and id, and the member each type needs. */
    private static Optional<String> subject(com.fasterxml.jackson.databind.JsonNode v) {
        Optional<String> base = members(List.of(
                req("subject_type", oneOf(List.of("mission", "work_package", "mission_run", "review", "pull_request")),
                        "\"mission\"", "\"repo\""),
                req("subject_id", S_STAR, "\"WP01\"", "\"\"")), false).check(v);
        if (base.isPresent()) {
            return base;
        }
        String type = v.get("subject_type").asText();
        return switch (type) {
            case "work_package" -> v.hasNonNull("wp_id") ? WP.check(v.get("wp_id")).map(p -> "member wp_id: " + p)
                    : Optional.of("member wp_id is required when subject_type is work_package");
            case "mission" -> v.hasNonNull("mission_id") || v.hasNonNull("mission_slug") ? Optional.empty()
                    : Optional.of("member mission_id or mission_slug is required when subject_type is mission");
            case "mission_run" -> v.hasNonNull("run_id") ? Optional.empty()
                    : Optional.of("member run_id is required when subject_type is mission_run");
            default -> Optional.empty();
        };
    }

    private static PayloadField req(String name, FieldRule rule, String accepted, String refused) {
        return PayloadField.of(Presence.REQUIRED, name, rule, accepted, refused);
    }

    private static PayloadField opt(String name, FieldRule rule, String accepted, String refused) {
        return PayloadField.of(Presence.OPTIONAL, name, rule, accepted, refused);
    }

    /** Required {@code s} fields. */
    private static List<PayloadField> strings(String... names) {
        List<PayloadField> out = new ArrayList<>();
        for (String n : names) {
            out.add(req(n, S, "\"" + n + "-1\"", "\"\""));
        }
        return out;
    }

    /** Optional {@code s?} fields. */
    private static List<PayloadField> optionalStrings(String... names) {
        List<PayloadField> out = new ArrayList<>();
        for (String n : names) {
            out.add(opt(n, S_OPT, "\"" + n + "-1\"", "12"));
        }
        return out;
    }

    @SafeVarargs
    private static <T> List<T> concat(List<T>... parts) {
        List<T> out = new ArrayList<>();
        for (List<T> p : parts) {
            out.addAll(p);
        }
        return List.copyOf(out);
    }
}
