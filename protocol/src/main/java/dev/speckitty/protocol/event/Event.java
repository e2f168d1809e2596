package dev.speckitty.protocol.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.json.Json;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The event envelope, field for field as the Python spec-kitty writes it. Nullable fields
 * ({@code causation_id}, {@code project_uuid}, {@code project_slug}, {@code git_branch},
 * {@code head_commit_sha}, {@code repo_slug}) are null on the wire when unknown; read them through
 * the {@code Optional} accessors. Construct from untrusted JSON with {@link #parse(JsonNode)}.
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
        String repoSlug) {

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
        // Built field by field: the checks above guarantee every type, and this costs a tenth of a
        // databind conversion (the server and the puller parse every event they receive).
        return new Event(text(json, "event_id"), text(json, "event_type"), text(json, "aggregate_id"),
                text(json, "aggregate_type"), ((ObjectNode) json.get("payload")).deepCopy(), text(json, "node_id"),
                json.get("lamport_clock").asLong(), text(json, "causation_id"), text(json, "timestamp"),
                text(json, "team_slug"), text(json, "project_uuid"), text(json, "project_slug"),
                text(json, "git_branch"), text(json, "head_commit_sha"), text(json, "repo_slug"));
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

    /** The event as a JSON tree. */
    public ObjectNode toTree() {
        return (ObjectNode) Json.toTree(this);
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
                timestamp, teamSlug, projectUuid, projectSlug, gitBranch, headCommitSha, repoSlug);
    }

    /** The same event claimed for another team. */
    public Event withTeamSlug(String team) {
        return new Event(eventId, eventType, aggregateId, aggregateType, payload, nodeId, lamportClock, causationId,
                timestamp, team, projectUuid, projectSlug, gitBranch, headCommitSha, repoSlug);
    }
}
