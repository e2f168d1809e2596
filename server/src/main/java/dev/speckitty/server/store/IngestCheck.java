package dev.speckitty.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.event.InvalidEventException;
import dev.speckitty.protocol.wire.EventResult;

/** Validation every {@link EventStore} runs before its transaction: an {@link Event}, or the result refusing it. Stateless. */
public final class IngestCheck {
    private IngestCheck() {
    }

    /** The parsed event when it is valid and of {@code team}; otherwise the {@code rejected} result to answer. */
    public static Object check(String team, JsonNode raw) {
        String id = raw != null && raw.path("event_id").isTextual() ? raw.get("event_id").asText() : null;
        Event event;
        try {
            event = Event.parse(raw);
        } catch (InvalidEventException e) {
            return EventResult.rejected(id, e.getMessage());
        } catch (RuntimeException e) {
            return EventResult.rejected(id, "event: cannot be read (" + e.getMessage() + ")");
        }
        if (!event.teamSlug().equals(team)) {
            return EventResult.rejected(id, "team_slug '" + event.teamSlug() + "' (expected: '" + team
                    + "', the team of your token)");
        }
        return event;
    }
}
