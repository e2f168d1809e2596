package dev.speckitty.daemon.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.event.EventLimits;
import dev.speckitty.protocol.event.EventType;
import dev.speckitty.protocol.event.EventValidator;
import dev.speckitty.protocol.event.InvalidEventException;
import dev.speckitty.protocol.event.Ulid;
import dev.speckitty.protocol.event.Violation;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.local.LamportClock;
import dev.speckitty.protocol.local.Timestamps;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Turns an enqueue request's events into complete, validated envelopes: a draft gets a ULID, a
 * Lamport value, the node id, the team and the git metadata of the caller's directory; a complete
 * envelope (it has {@code event_id}) is taken as it is. Validation covers every event before the
 * clock moves, so an invalid request changes nothing. Thread-safe.
 */
public final class EventFactory {
    private static final String[] DRAFT_FIELDS = {"event_type", "aggregate_id", "aggregate_type", "payload", "causation_id",
            "project_uuid", "project_slug"};

    private final LamportClock clock;
    private final Ulid ulid;
    private final Supplier<String> team;
    private final Clock time;

    public EventFactory(LamportClock clock, Ulid ulid, Supplier<String> team, Clock time) {
        this.clock = clock;
        this.ulid = ulid;
        this.team = team;
        this.time = time;
    }

    /** Complete events in request order, or an {@link InvalidEventException} listing every problem of every event. */
    public List<Event> complete(List<JsonNode> requested, Path cwd) {
        if (requested.isEmpty()) {
            throw new IllegalArgumentException("events: [] (expected: at least one event)");
        }
        GitContext git = GitContext.of(cwd);
        String teamSlug = team.get();
        String nodeId = clock.nodeId();
        String now = Timestamps.format(Instant.now(time));
        List<ObjectNode> drafts = new ArrayList<>(requested.size());
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < requested.size(); i++) {
            JsonNode json = requested.get(i);
            String prefix = requested.size() == 1 ? "" : "events[" + i + "].";
            if (json == null || !json.isObject()) {
                violations.add(new Violation(prefix + "event", "must be a JSON object"));
                drafts.add(null);
                continue;
            }
            ObjectNode envelope = json.has("event_id") ? ((ObjectNode) json).deepCopy() : fromDraft((ObjectNode) json, nodeId, teamSlug, now, git);
            for (Violation v : EventValidator.validate(envelope)) {
                violations.add(new Violation(prefix + v.field(), v.message()));
            }
            drafts.add(envelope);
        }
        if (!violations.isEmpty()) {
            throw new InvalidEventException(violations);
        }
        List<Event> events = new ArrayList<>(drafts.size());
        int fresh = (int) requested.stream().filter(j -> !j.has("event_id")).count();
        long next = fresh == 0 ? 0 : clock.tick(fresh);
        for (ObjectNode envelope : drafts) {
            Event event = Event.parse(envelope);
            if (!requested.get(events.size()).has("event_id")) {
                event = event.withLamportClock(next++);
            } else {
                clock.receive(event.lamportClock());
            }
            events.add(event);
        }
        return events;
    }

    private ObjectNode fromDraft(ObjectNode draft, String nodeId, String teamSlug, String now, GitContext git) {
        ObjectNode e = Json.object();
        e.put("event_id", ulid.next());
        for (String field : DRAFT_FIELDS) {
            if (draft.has(field)) {
                e.set(field, draft.get(field));
            }
        }
        if (!draft.has("aggregate_type") && draft.path("event_type").isTextual()) {
            EventType.fromWire(draft.get("event_type").asText()).ifPresent(t -> e.put("aggregate_type", t.defaultAggregateType().wireName()));
        }
        if (!e.has("causation_id")) {
            e.putNull("causation_id");
        }
        e.put("node_id", nodeId);
        // A placeholder as wide as any value the clock can give, so the validator's size bound (the
        // server's) already counts the real value: an event too large to send is refused before it is queued.
        e.put("lamport_clock", EventLimits.MAX_LAMPORT_CLOCK);
        e.put("timestamp", now);
        e.put("team_slug", teamSlug);
        git.projectSlug().filter(s -> !draft.has("project_slug")).ifPresent(s -> e.put("project_slug", s));
        git.branch().ifPresent(b -> e.put("git_branch", b));
        git.headSha().ifPresent(s -> e.put("head_commit_sha", s));
        git.repoSlug().ifPresent(s -> e.put("repo_slug", s));
        return e;
    }
}
