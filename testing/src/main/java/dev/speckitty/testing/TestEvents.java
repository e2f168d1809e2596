package dev.speckitty.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.event.EventSamples;
import dev.speckitty.protocol.event.Ulid;
import dev.speckitty.protocol.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Events and drafts for tests: complete events with predictable ids and clocks (cheap enough to build
 * by the hundred thousand), a {@link Builder} for the one field a test changes, complete envelopes with
 * fresh ULIDs for a server, and the HistoryAdded note drafts that commands and engines complete.
 */
public final class TestEvents {
    public static final String NODE = "b805cd5cee74";
    public static final String TIMESTAMP = "2026-11-24T10:00:00+00:00";
    public static final String TEAM = "team-a";
    private static final Map<String, ObjectNode> STATUS_PAYLOADS = new ConcurrentHashMap<>();
    private static final Ulid IDS = Ulid.systemDefault();

    private TestEvents() {
    }

    /** A 26-character id that sorts with {@code n}. */
    public static String id(long n) {
        String digits = Long.toString(n);
        return "01KAT" + "0".repeat(21 - digits.length()) + digits;
    }

    /** A WPStatusChanged of {@code WPnn} with event id {@link #id(long) id(n)} and clock {@code n}. */
    public static Event status(long n, String wp) {
        // Payloads are shared per WP (never mutated) so building 200k events stays cheap.
        ObjectNode payload = STATUS_PAYLOADS.computeIfAbsent(wp, w -> (ObjectNode) Json.tree(statusPayload(w, "in_progress")));
        return new Event(id(n), "WPStatusChanged", wp, "WorkPackage", payload, NODE, n, null, TIMESTAMP, TEAM,
                null, null, null, null, null);
    }

    /** A HistoryAdded note on {@code wp}. */
    public static Event note(long n, String wp, String node) {
        return event(n, "HistoryAdded", wp, node,
                "{\"wp_id\":\"" + wp + "\",\"entry_type\":\"note\",\"entry_content\":\"note " + n + "\"}");
    }

    /** An event of {@code type} with id {@link #id(long) id(n)} and clock {@code n}. */
    public static Event event(long n, String type, String aggregate, String node, String payload) {
        return builder().id(id(n)).type(type).aggregate(aggregate).node(node).clock(n).payload(payload).build();
    }

    /** {@code count} status events numbered from {@code first}. */
    public static List<Event> many(long first, int count) {
        List<Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int wp = (int) ((first + i) % 100);
            events.add(status(first + i, (wp < 10 ? "WP0" : "WP") + wp));
        }
        return events;
    }

    /**
     * A valid WPStatusChanged of {@code team} with a fresh ULID and every optional field filled in
     * ({@link EventSamples}), as a mutable tree for a test to break one member of.
     */
    public static ObjectNode fresh(String team) {
        ObjectNode e = EventSamples.event("WPStatusChanged");
        e.put("event_id", IDS.next());
        e.put("team_slug", team);
        return e;
    }

    /** {@code n} of {@link #fresh(String)}. */
    public static List<JsonNode> fresh(String team, int n) {
        List<JsonNode> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(fresh(team));
        }
        return out;
    }

    /** The payload of a WPStatusChanged of {@code wp} from planned to {@code toLane}. */
    public static String statusPayload(String wp, String toLane) {
        return "{\"wp_id\":\"" + wp + "\",\"from_lane\":\"planned\",\"to_lane\":\"" + toLane + "\"}";
    }

    /** The payload of a HistoryAdded note on WP01 saying {@code content}. */
    public static ObjectNode notePayload(String content) {
        return Json.object().put("wp_id", "WP01").put("entry_type", "note").put("entry_content", content);
    }

    /** A draft, as {@code events emit} or the control API takes it: a HistoryAdded note on WP01 saying {@code content}. */
    public static ObjectNode noteDraft(String content) {
        ObjectNode d = Json.object().put("event_type", "HistoryAdded").put("aggregate_id", "WP01");
        d.set("payload", notePayload(content));
        return d;
    }

    /** {@code n} {@link #noteDraft note drafts} saying {@code prefix + i}, for i from {@code from}. */
    public static List<JsonNode> noteDrafts(String prefix, int from, int n) {
        List<JsonNode> out = new ArrayList<>(n);
        for (int i = from; i < from + n; i++) {
            out.add(noteDraft(prefix + i));
        }
        return out;
    }

    /** The drafts or events as NDJSON, one compact line each, as {@code events import} reads it. */
    public static String ndjson(List<? extends JsonNode> lines) {
        StringBuilder b = new StringBuilder();
        for (JsonNode line : lines) {
            b.append(Json.write(line)).append('\n');
        }
        return b.toString();
    }

    /**
     * A builder of one complete 2.x event. It starts as a WPStatusChanged of WP01 from planned to
     * in_progress, id {@link #id(long) id(1)}, clock 1, node {@link #NODE}, {@link #TIMESTAMP},
     * {@link #TEAM}, and no causation, project or git fields. Nothing is validated: a test can build an
     * event the server must refuse.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** See {@link TestEvents#builder()}. Not thread-safe; one per event. */
    public static final class Builder {
        private String id = TestEvents.id(1);
        private String type = "WPStatusChanged";
        private String aggregate = "WP01";
        private String aggregateType = "WorkPackage";
        private ObjectNode payload; // null: the default, parsed only when needed
        private String node = NODE;
        private long clock = 1;
        private String timestamp = TIMESTAMP;
        private String team = TEAM;

        private Builder() {
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder type(String type) {
            this.type = type;
            return this;
        }

        public Builder aggregate(String aggregate) {
            this.aggregate = aggregate;
            return this;
        }

        public Builder aggregateType(String aggregateType) {
            this.aggregateType = aggregateType;
            return this;
        }

        /** The payload as JSON text. */
        public Builder payload(String json) {
            return payload((ObjectNode) Json.tree(json));
        }

        public Builder payload(ObjectNode payload) {
            this.payload = payload;
            return this;
        }

        /** A HistoryAdded note on WP01 saying {@code content} (any text: it is escaped). */
        public Builder note(String content) {
            return type("HistoryAdded").aggregate("WP01").payload(notePayload(content));
        }

        public Builder node(String node) {
            this.node = node;
            return this;
        }

        public Builder clock(long clock) {
            this.clock = clock;
            return this;
        }

        public Builder timestamp(String timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        public Builder team(String team) {
            this.team = team;
            return this;
        }

        public Event build() {
            ObjectNode p = payload != null ? payload : (ObjectNode) Json.tree(statusPayload("WP01", "in_progress"));
            return new Event(id, type, aggregate, aggregateType, p, node, clock, null, timestamp, team,
                    null, null, null, null, null);
        }

        /** The event as compact JSON, every member present, as the queue and the wire hold it. */
        public String json() {
            return build().toJson();
        }
    }
}
