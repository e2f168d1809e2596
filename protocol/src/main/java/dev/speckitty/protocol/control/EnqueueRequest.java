package dev.speckitty.protocol.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * {@code POST /v1/events} body. Each event is either a draft {@code {event_type, aggregate_id,
 * aggregate_type?, payload, causation_id?}} that the daemon completes (ULID, clock tick, node id,
 * team, git metadata of {@code cwd}), or a complete envelope (has {@code event_id}), queued as is.
 * All or nothing: one invalid event refuses the whole request.
 */
public record EnqueueRequest(List<JsonNode> events, String cwd) {
    public EnqueueRequest {
        events = events == null ? List.of() : events;
    }
}
