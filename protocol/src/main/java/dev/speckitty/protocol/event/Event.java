package dev.speckitty.protocol.event;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.json.Json;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The event envelope, field for field as the Python spec-kitty writes it. Nullable fields
 * ({@code causation_id}, {@code project_uuid}, {@code project_slug}, {@code git_branch},
 * {@code head_commit_sha}, {@code repo_slug}) are null on the wire when unknown; read them through
 * the {@code Optional} accessors. Construct from untrusted JSON with {@link #parse(JsonNode)}.
 * Members beyond these fifteen (a 3.x envelope's {@code schema_version}, {@code build_id},
 * {@code correlation_id}, or anything a newer client adds) are kept in {@link #extensions}, in the
 * order they came, and written after the fifteen.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Event(
        String eventId,
        String eventType,
        String aggregateId,
        String aggregateType,
        ObjectNode payload,
        String nodeId,
        long lamportClock,
        String causationId,
        String timestamp,
        String teamSlug,
        String projectUuid,
        String projectSlug,
        String gitBranch,
        String headCommitSha,
        String repoSlug,
        @JsonAnyGetter @JsonAnySetter Map<String, JsonNode> extensions) {

    /** The fifteen members of the 2.x envelope, in the order they are written. */
    static final Set<String> ENVELOPE_MEMBERS = Set.of("event_id", "event_type", "aggregate_id", "aggregate_type",
            "payload", "node_id", "lamport_clock", "causation_id", "timestamp", "team_slug", "project_uuid",
            "project_slug", "git_branch", "head_commit_sha", "repo_slug");

    public Event {
        extensions = extensions == null || extensions.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    }

    /** A 2.x envelope: the fifteen members and nothing else. */
    public Event(String eventId, String eventType, String aggregateId, String aggregateType, ObjectNode payload,
            String nodeId, long lamportClock, String causationId, String timestamp, String teamSlug, String projectUuid,
            String projectSlug, String gitBranch, String headCommitSha, String repoSlug) {
        this(eventId, eventType, aggregateId, aggregateType, payload, nodeId, lamportClock, causationId, timestamp,
                teamSlug, projectUuid, projectSlug, gitBranch, headCommitSha, repoSlug, Map.of());
    }

    /**
     * The order that merges every machine's events deterministically: {@code lamport_clock}, then
     * {@code node_id}, then {@code event_id} (only a damaged or raced clock gives one node two events
     * with the same value).
     */
    public static final Comparator<Event> TOTAL_ORDER = Comparator.comparingLong(Event::lamportClock)
            .thenComparing(Event::nodeId)
            .thenComparing(Event::eventId);

    /** Validates a JSON event and returns it, or throws with every violation found. */
    public static Event parse(JsonNode json) {
        List<Violation> violations = EventValidator.validate(json);
        if (!violations.isEmpty()) {
            throw new InvalidEventException(violations);
        }
        return ofValidated(json);
    }

    /**
     * The event of a JSON envelope the caller has just validated with {@link EventValidator#validate}
     * and found no violation in (the daemon's enqueue validates every event of a request first, to
     * report all problems at once, and must not pay for the same checks twice).
     */
    public static Event ofValidated(JsonNode json) {
        // Built field by field: the checks above guarantee every type, and this costs a tenth of a
        // databind conversion (the server and the puller parse every event they receive).
        return new Event(text(json, "event_id"), text(json, "event_type"), text(json, "aggregate_id"),
                text(json, "aggregate_type"), ((ObjectNode) json.get("payload")).deepCopy(), text(json, "node_id"),
                json.get("lamport_clock").asLong(), text(json, "causation_id"), text(json, "timestamp"),
                text(json, "team_slug"), text(json, "project_uuid"), text(json, "project_slug"),
                text(json, "git_branch"), text(json, "head_commit_sha"), text(json, "repo_slug"), extensions(json));
    }

    private static Map<String, JsonNode> extensions(JsonNode json) {
        Map<String, JsonNode> out = null;
        for (Map.Entry<String, JsonNode> m : json.properties()) {
            if (!ENVELOPE_MEMBERS.contains(m.getKey())) {
                if (out == null) {
                    out = new LinkedHashMap<>();
                }
                out.put(m.getKey(), m.getValue().deepCopy());
            }
        }
        return out == null ? Map.of() : out;
    }

    /** The schema generation of this event: 3.x when it has a {@code schema_version}. */
    public Generation generation() {
        return extensions.containsKey("schema_version") ? Generation.V3 : Generation.V2;
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** Parses and validates JSON text. */
    public static Event parse(String json) {
        return parse(Json.tree(json));
    }

    /** The event as compact JSON, as stored in {@code queue.data} and sent on the wire. */
    public String toJson() {
        return EventJson.write(this);
    }

    /** The event as a JSON tree, members in the order of {@link #toJson()}. */
    public ObjectNode toTree() {
        return (ObjectNode) Json.tree(toJson());
    }

    /** The event's type, when it is one the protocol knows (always, for a parsed event). */
    public Optional<EventType> type() {
        return EventType.fromWire(eventType);
    }

    public Optional<String> causation() {
        return Optional.ofNullable(causationId);
    }

    public Optional<String> repo() {
        return Optional.ofNullable(repoSlug);
    }

    /** The same event with another Lamport clock value. */
    public Event withLamportClock(long clock) {
        return new Event(eventId, eventType, aggregateId, aggregateType, payload, nodeId, clock, causationId,
                timestamp, teamSlug, projectUuid, projectSlug, gitBranch, headCommitSha, repoSlug, extensions);
    }

    /** The same event without the extension member {@code name} (unchanged when it has none). */
    public Event withoutExtension(String name) {
        if (!extensions.containsKey(name)) {
            return this;
        }
        Map<String, JsonNode> rest = new LinkedHashMap<>(extensions);
        rest.remove(name);
        return new Event(eventId, eventType, aggregateId, aggregateType, payload, nodeId, lamportClock, causationId,
                timestamp, teamSlug, projectUuid, projectSlug, gitBranch, headCommitSha, repoSlug, rest);
    }

    /** The same event claimed for another team. */
    public Event withTeamSlug(String team) {
        return new Event(eventId, eventType, aggregateId, aggregateType, payload, nodeId, lamportClock, causationId,
                timestamp, team, projectUuid, projectSlug, gitBranch, headCommitSha, repoSlug, extensions);
    }
}
