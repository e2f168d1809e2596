package dev.speckitty.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.event.EventLimits;
import dev.speckitty.protocol.event.EventDrafts;
import dev.speckitty.protocol.event.EventValidator;
import dev.speckitty.protocol.event.Generation;
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
    private final LamportClock clock;
    private final Ulid ulid;
    private final Supplier<Recording> recording;
    private final Clock time;
    private final GitContext.Cache git = new GitContext.Cache();

    /** A factory completing drafts for whom {@code recording} answers, asked once per request, in its generation. */
    public EventFactory(LamportClock clock, Ulid ulid, Supplier<Recording> recording, Clock time) {
        this.clock = clock;
        this.ulid = ulid;
        this.recording = recording;
        this.time = time;
    }

    /** Complete events in request order, or an {@link InvalidEventException} listing every problem of every event. */
    public List<Event> complete(List<JsonNode> requested, Path cwd) {
        return complete(requested, cwd, recording.get());
    }

    /** {@link #complete(List, Path)} with the drafts recorded for {@code as}. */
    public List<Event> complete(List<JsonNode> requested, Path cwd, Recording as) {
        Prepared prepared = prepare(requested, cwd, as);
        long first = prepared.fresh() == 0 ? 0 : clock.tick(prepared.fresh());
        List<Event> events = stamp(prepared, first);
        if (prepared.remotes().length > 0) {
            clock.receiveAll(prepared.remotes());
        }
        return events;
    }

    /**
     * A request's events, validated and complete but for the Lamport values of its drafts, which
     * {@link #stamp} gives once a group's values are reserved. Immutable.
     */
    public static final class Prepared {
        private final List<Event> events;
        private final boolean[] draft;
        private final int fresh;
        private final long[] remotes;
        private final String server;

        private Prepared(List<Event> events, boolean[] draft, int fresh, long[] remotes, String server) {
            this.events = events;
            this.draft = draft;
            this.fresh = fresh;
            this.remotes = remotes;
            this.server = server;
        }

        /** The server the request's rows are recorded for (its {@link Recording}'s). */
        public String server() {
            return server;
        }

        /** Events in the request. */
        public int size() {
            return events.size();
        }

        /** Drafts among them: each takes one value of the clock. */
        public int fresh() {
            return fresh;
        }

        /** The Lamport values of the complete envelopes among them, in order, for the clock to receive. */
        public long[] remotes() {
            return remotes.clone();
        }
    }

    /**
     * Validates every event of a request and completes its drafts (ULID, node id, team, time, git
     * context) without moving the clock: an {@link InvalidEventException} lists every problem of every
     * event, and then nothing was reserved.
     */
    public Prepared prepare(List<JsonNode> requested, Path cwd) {
        return prepare(requested, cwd, recording.get());
    }

    /** {@link #prepare(List, Path)} for {@code as}. */
    Prepared prepare(List<JsonNode> requested, Path cwd, Recording as) {
        if (requested.isEmpty()) {
            throw new IllegalArgumentException("events: [] (expected: at least one event)");
        }
        GitContext git = this.git.of(cwd);
        String teamSlug = as.team();
        String nodeId = clock.nodeId();
        String now = Timestamps.format(Instant.now(time));
        Generation generation = as.generation();
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
            ObjectNode envelope = json.has("event_id") ? ((ObjectNode) json).deepCopy() : fromDraft((ObjectNode) json, nodeId, teamSlug, now, git, generation);
            for (Violation v : EventValidator.validate(envelope)) {
                violations.add(new Violation(prefix + v.field(), v.message()));
            }
            drafts.add(envelope);
        }
        if (!violations.isEmpty()) {
            throw new InvalidEventException(violations);
        }
        List<Event> events = new ArrayList<>(drafts.size());
        boolean[] draft = new boolean[drafts.size()];
        int fresh = 0;
        List<Long> remotes = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            Event event = Event.ofValidated(drafts.get(i)); // every one was validated above
            draft[i] = !requested.get(i).has("event_id");
            if (draft[i]) {
                fresh++;
            } else {
                remotes.add(event.lamportClock());
            }
            events.add(event);
        }
        return new Prepared(List.copyOf(events), draft, fresh, remotes.stream().mapToLong(Long::longValue).toArray(), as.server());
    }

    /** The prepared events with their drafts stamped {@code first}, {@code first + 1}, ... in order; complete envelopes as they are. */
    public static List<Event> stamp(Prepared prepared, long first) {
        List<Event> events = new ArrayList<>(prepared.events.size());
        long next = first;
        for (int i = 0; i < prepared.events.size(); i++) {
            Event event = prepared.events.get(i);
            events.add(prepared.draft[i] ? event.withLamportClock(next++) : event);
        }
        return events;
    }

    private ObjectNode fromDraft(ObjectNode draft, String nodeId, String teamSlug, String now, GitContext git,
            Generation generation) {
        ObjectNode e = Json.object();
        String id = ulid.next();
        e.put("event_id", id);
        for (String field : EventDrafts.FIELDS) {
            if (draft.has(field)) {
                e.set(field, draft.get(field));
            }
        }
        if (!draft.has("aggregate_type") && draft.path("event_type").isTextual()) {
            EventDrafts.defaultAggregateType(draft.get("event_type").asText(), generation).ifPresent(t -> e.put("aggregate_type", t));
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
        if (generation == Generation.V3) {
            // The members 3.x adds, as spec-kitty 3.2.5 fills them (the reference, section 1).
            e.put("schema_version", Generation.V3_SCHEMA_VERSION);
            e.put("build_id", buildId(e.path("project_uuid"), nodeId));
            JsonNode causation = e.get("causation_id");
            e.put("correlation_id", causation != null && causation.isTextual() ? causation.asText() : id);
        }
        return e;
    }

    /**
     * The build id of this checkout: a name-based (version 5) UUID of the node id in the project's
     * UUID, so one machine's builds of a project keep one id; empty when the project is unknown, as
     * 3.2.5 sends it.
     */
    static String buildId(JsonNode projectUuid, String nodeId) {
        if (!projectUuid.isTextual()) {
            return "";
        }
        java.util.UUID ns;
        try {
            ns = java.util.UUID.fromString(projectUuid.asText());
        } catch (IllegalArgumentException e) {
            return "";
        }
        try {
            java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");
            sha1.update(java.nio.ByteBuffer.allocate(16).putLong(ns.getMostSignificantBits()).putLong(ns.getLeastSignificantBits()).array());
            byte[] h = sha1.digest(nodeId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            h[6] = (byte) ((h[6] & 0x0f) | 0x50);
            h[8] = (byte) ((h[8] & 0x3f) | 0x80);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(h, 0, 16);
            return new java.util.UUID(b.getLong(), b.getLong()).toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }
}
