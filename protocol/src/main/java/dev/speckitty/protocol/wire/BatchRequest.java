package dev.speckitty.protocol.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** {@code POST /api/v1/events/batch/} body (sent gzip-compressed). Events stay raw JSON so each is judged on its own. */
public record BatchRequest(List<JsonNode> events) {
    public BatchRequest {
        events = events == null ? List.of() : events;
    }
}
