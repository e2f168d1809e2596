package dev.speckitty.protocol.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.json.JsonException;
import java.io.IOException;

/**
 * Writes an {@link Event} as compact JSON field by field with the shared mapper's generator: the
 * same text as {@code Json.write(event)} (EventTest compares them), without databind's reflective
 * record serializer, whose first use in a short CLI run and whose per-field dispatch on a server
 * both showed in profiles. The buffers come from the factory's pool and go back to it, as in
 * {@code ObjectMapper.writeValueAsString}: a fresh {@link BufferRecycler} per event allocated an
 * 8 KB buffer each time, half of what a 1,000,000-event import allocated. Stateless.
 */
final class EventJson {
    private EventJson() {
    }

    static String write(Event e) {
        BufferRecycler buffers = Json.mapper().getFactory()._getBufferRecycler();
        try (SegmentedStringWriter out = new SegmentedStringWriter(buffers)) {
            try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
                g.writeStartObject();
                g.writeStringField("event_id", e.eventId());
                g.writeStringField("event_type", e.eventType());
                g.writeStringField("aggregate_id", e.aggregateId());
                g.writeStringField("aggregate_type", e.aggregateType());
                g.writeFieldName("payload");
                if (e.payload() == null) {
                    g.writeNull();
                } else {
                    Json.mapper().writeTree(g, e.payload());
                }
                g.writeStringField("node_id", e.nodeId());
                g.writeNumberField("lamport_clock", e.lamportClock());
                g.writeStringField("causation_id", e.causationId());
                g.writeStringField("timestamp", e.timestamp());
                g.writeStringField("team_slug", e.teamSlug());
                g.writeStringField("project_uuid", e.projectUuid());
                g.writeStringField("project_slug", e.projectSlug());
                g.writeStringField("git_branch", e.gitBranch());
                g.writeStringField("head_commit_sha", e.headCommitSha());
                g.writeStringField("repo_slug", e.repoSlug());
                for (java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> m : e.extensions().entrySet()) {
                    g.writeFieldName(m.getKey());
                    Json.mapper().writeTree(g, m.getValue());
                }
                g.writeEndObject();
            }
            return out.getAndClear();
        } catch (IOException ex) {
            throw new JsonException("cannot encode the event " + e.eventId() + " as JSON: " + ex.getMessage(), ex);
        } finally {
            buffers.releaseToPool();
        }
    }
}
