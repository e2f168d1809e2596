package dev.speckitty.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.event.EventLimits;
import dev.speckitty.protocol.event.EventValidator;
import dev.speckitty.protocol.event.InvalidEventException;
import dev.speckitty.protocol.event.Violation;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.json.Utf8;
import dev.speckitty.protocol.wire.EventResult;
import java.util.List;

/**
 * Validation every {@link EventStore} runs before its transaction: an {@link AcceptedEvent} holding
 * the text exactly as received, or the result refusing the event. The event's generation (2.x or 3.x)
 * decides its rules ({@link EventValidator}). Stateless.
 */
public final class IngestCheck {
    private IngestCheck() {
    }

    /** What the check decided for one event: store it ({@link AcceptedEvent}) or answer it {@link Refused}. */
    public sealed interface Verdict permits AcceptedEvent, Refused {
    }

    /** The event is not stored; {@code result} is the {@code rejected} answer for it. */
    public record Refused(EventResult result) implements Verdict {
    }

    /** The event, ready to store, when it is valid and of {@code team}; otherwise the {@code rejected} result to answer. */
    public static Verdict check(String team, ReceivedEvent received) {
        JsonNode raw = received.tree();
        if (received.unreadable().isPresent()) {
            return new Refused(EventResult.rejected(Json.memberText(received.json(), "event_id"),
                    "event: cannot be read (" + received.unreadable().get() + ")"));
        }
        String id = raw != null && raw.path("event_id").isTextual() ? raw.get("event_id").asText() : null;
        List<Violation> violations;
        try {
            violations = EventValidator.validate(raw);
        } catch (RuntimeException e) {
            return new Refused(EventResult.rejected(id, "event: cannot be read (" + e.getMessage() + ")"));
        }
        if (!violations.isEmpty()) {
            return new Refused(EventResult.rejected(id, InvalidEventException.summary(violations)));
        }
        long sourceBytes = Utf8.length(received.json());
        if (sourceBytes > EventLimits.MAX_EVENT_SOURCE_BYTES) {
            return new Refused(EventResult.rejected(id, "event: " + sourceBytes + " bytes as sent, whitespace included (expected: at most "
                    + EventLimits.MAX_EVENT_SOURCE_BYTES + "; the server keeps an event as sent, so send compact JSON)"));
        }
        JsonNode teamSlug = raw.get("team_slug");
        if (teamSlug == null || !teamSlug.isTextual() || !teamSlug.asText().equals(team)) {
            String got = teamSlug == null || teamSlug.isNull() ? "null" : "'" + teamSlug.asText() + "'";
            return new Refused(EventResult.rejected(id, "team_slug " + got + " (expected: '" + team + "', the team of your token)"));
        }
        return new AcceptedEvent(id, raw.get("event_type").asText(), raw.get("node_id").asText(), received.json());
    }
}
