package dev.speckitty.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.event.EventSamples;
import dev.speckitty.protocol.event.Ulid;
import java.util.ArrayList;
import java.util.List;

/** Valid events with fresh ULIDs, for tests. */
public final class TestEvents {
    private static final Ulid IDS = Ulid.systemDefault();

    private TestEvents() {
    }

    public static ObjectNode event(String team) {
        ObjectNode e = EventSamples.event("WPStatusChanged");
        e.put("event_id", IDS.next());
        e.put("team_slug", team);
        return e;
    }

    public static List<JsonNode> events(String team, int n) {
        List<JsonNode> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(event(team));
        }
        return out;
    }
}
