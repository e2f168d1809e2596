package dev.speckitty.engine.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Valid events with predictable ids and clocks, cheap enough to build by the hundred thousand. */
public final class TestEvents {
    public static final String NODE = "b805cd5cee74";
    private static final Map<String, ObjectNode> STATUS_PAYLOADS = new ConcurrentHashMap<>();

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
        ObjectNode payload = STATUS_PAYLOADS.computeIfAbsent(wp, w -> (ObjectNode) Json.tree(
                "{\"wp_id\":\"" + w + "\",\"from_lane\":\"planned\",\"to_lane\":\"in_progress\"}"));
        return new Event(id(n), "WPStatusChanged", wp, "WorkPackage", payload, NODE, n, null,
                "2026-11-24T10:00:00+00:00", "team-a", null, null, null, null, null);
    }

    /** A HistoryAdded note on {@code wp}. */
    public static Event note(long n, String wp, String node) {
        return event(n, "HistoryAdded", wp, node,
                "{\"wp_id\":\"" + wp + "\",\"entry_type\":\"note\",\"entry_content\":\"note " + n + "\"}");
    }

    public static Event event(long n, String type, String aggregate, String node, String payload) {
        return new Event(id(n), type, aggregate, "WorkPackage", (ObjectNode) Json.tree(payload), node, n, null,
                "2026-11-24T10:00:00+00:00", "team-a", null, null, null, null, null);
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
}
