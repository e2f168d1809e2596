package dev.speckitty.protocol.control;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.json.JsonException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON for the CLI's start-up-critical paths ({@code events emit}, {@code sync status} with the
 * daemon up) with jackson-core's streaming API and databind's tree nodes only: creating the shared
 * databind {@code ObjectMapper} and its record deserializers costs ~60 ms even from the CDS archive,
 * more than the rest of those commands. Field names and shapes are the protocol's, checked against
 * the canonical {@code Json} codec by round-trip tests. Thread-safe (the factory is).
 */
public final class LeanJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private LeanJson() {
    }

    /** Parses JSON text into a tree; malformed text is a {@link JsonException} with the parser's message. */
    public static JsonNode tree(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            return readDocument(p);
        } catch (IOException e) {
            throw new JsonException("malformed JSON: " + message(e), e);
        }
    }

    /** Parses JSON bytes into a tree. */
    public static JsonNode tree(byte[] json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            return readDocument(p);
        } catch (IOException e) {
            throw new JsonException("malformed JSON: " + message(e), e);
        }
    }

    /** The {@code POST /v1/events} body. */
    public static byte[] enqueueRequest(EnqueueRequest request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("events");
            for (JsonNode event : request.events()) {
                write(g, event);
            }
            g.writeEndArray();
            g.writeStringField("cwd", request.cwd());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the enqueue request", e);
        }
        return out.toByteArray();
    }

    public static EnqueueResponse enqueueResponse(JsonNode n) {
        List<String> ids = new ArrayList<>();
        n.path("event_ids").forEach(id -> ids.add(id.asText()));
        return new EnqueueResponse(n.path("accepted").asInt(), ids, n.path("queue_depth").asLong());
    }

    /** A {@link DaemonInfo} from {@code GET /v1/daemon}'s answer (or a status's: it starts with the same fields). */
    public static DaemonInfo daemonInfo(JsonNode n) {
        return new DaemonInfo(text(n, "version"), n.path("pid").asLong(), n.path("uptime_s").asLong(), text(n, "server_url"),
                n.hasNonNull("connection") ? ConnectionState.fromWire(n.get("connection").asText()) : null,
                text(n, "last_error"), text(n, "next_retry_at"), text(n, "server_version"),
                n.has("live") ? n.path("live").asBoolean() : n.path("connection").asText("").equals("connected"),
                n.path("poll_interval_s").asLong());
    }

    /** A {@link StatusResponse}; its daemon and link fields are read as {@link #daemonInfo} reads them. */
    public static StatusResponse status(JsonNode n) {
        DaemonInfo d = daemonInfo(n);
        return new StatusResponse(
                d.version(),
                d.pid(),
                d.uptimeS(),
                d.serverUrl(),
                d.connection(),
                d.lastError(),
                d.nextRetryAt(),
                text(n, "user"),
                text(n, "team"),
                n.hasNonNull("queue") ? queueStats(n.get("queue")) : null,
                n.hasNonNull("last_sync") ? syncSummary(n.get("last_sync")) : null,
                text(n, "cursor"),
                n.path("clock").asLong(),
                text(n, "node_id"),
                n.path("inbox").asLong(),
                d.serverVersion(),
                d.live(),
                d.pollIntervalS(),
                n.hasNonNull("inbox_issues") ? inboxIssues(n.get("inbox_issues")) : null,
                n.hasNonNull("waiting") ? waiting(n.get("waiting")) : null);
    }

    static java.util.List<dev.speckitty.protocol.control.WaitingEvents> waiting(JsonNode n) {
        java.util.List<dev.speckitty.protocol.control.WaitingEvents> groups = new java.util.ArrayList<>();
        for (JsonNode w : n) {
            groups.add(new dev.speckitty.protocol.control.WaitingEvents(w.path("team").asText(""), w.path("server").asText(""),
                    w.path("count").asLong()));
        }
        return groups;
    }

    static InboxIssues inboxIssues(JsonNode n) {
        return new InboxIssues(n.path("clock_not_adopted").asLong(), issue(n.get("last_clock_not_adopted")),
                n.path("skipped").asLong(), issue(n.get("last_skipped")));
    }

    private static InboxIssues.Issue issue(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        JsonNode clock = n.get("lamport_clock");
        return new InboxIssues.Issue(text(n, "event_id"), text(n, "cursor"), clock == null || clock.isNull() ? null : clock.asLong(),
                text(n, "reason"), text(n, "at"));
    }

    static QueueStats queueStats(JsonNode n) {
        Map<String, Long> retries = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = n.path("retries").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            retries.put(f.getKey(), f.getValue().asLong());
        }
        JsonNode p = n.get("last_parked");
        ParkedEvent lastParked = p == null || p.isNull() ? null : new ParkedEvent(text(p, "event_id"), text(p, "event_type"),
                text(p, "aggregate_id"), p.path("retry_count").asLong(), text(p, "reason"), text(p, "parked_at"));
        return new QueueStats(n.path("depth").asLong(), n.path("oldest_age_s").asLong(), retries, n.path("parked").asLong(), lastParked);
    }

    static SyncSummary syncSummary(JsonNode n) {
        List<EventOutcome> rejected = new ArrayList<>();
        n.path("rejected_events").forEach(e -> rejected.add(new EventOutcome(text(e, "event_id"), text(e, "event_type"),
                text(e, "aggregate_id"), EventOutcome.Status.fromWire(text(e, "status")), text(e, "reason"))));
        return new SyncSummary(n.path("ok").asBoolean(), text(n, "server_url"), n.path("pushed").asLong(),
                n.path("duplicates").asLong(), n.path("rejected").asLong(), n.path("pulled").asLong(), n.path("batches").asLong(),
                n.path("parked").asLong(), n.path("remaining").asLong(), rejected, text(n, "error"), SyncErrorKind.fromWire(text(n, "error_kind")),
                n.path("duration_ms").asLong(), text(n, "finished_at"));
    }

    /** Writes one JSON document with the streaming generator; compact, as the canonical codec writes it. */
    public static String write(Writing body) {
        java.io.StringWriter out = new java.io.StringWriter(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode JSON", e);
        }
        return out.toString();
    }

    /** What {@link #write} writes. */
    @FunctionalInterface
    public interface Writing {
        void write(JsonGenerator g) throws IOException;
    }

    /** A {@link QueueStats} object, fields as the canonical codec names and orders them. */
    public static void write(JsonGenerator g, QueueStats q) throws IOException {
        g.writeStartObject();
        g.writeNumberField("depth", q.depth());
        g.writeNumberField("oldest_age_s", q.oldestAgeS());
        g.writeObjectFieldStart("retries");
        for (Map.Entry<String, Long> r : q.retries().entrySet()) {
            g.writeNumberField(r.getKey(), r.getValue());
        }
        g.writeEndObject();
        g.writeNumberField("parked", q.parked());
        g.writeFieldName("last_parked");
        ParkedEvent p = q.lastParked();
        if (p == null) {
            g.writeNull();
        } else {
            g.writeStartObject();
            g.writeStringField("event_id", p.eventId());
            g.writeStringField("event_type", p.eventType());
            g.writeStringField("aggregate_id", p.aggregateId());
            g.writeNumberField("retry_count", p.retryCount());
            g.writeStringField("reason", p.reason());
            g.writeStringField("parked_at", p.parkedAt());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** An {@link InboxIssues} object, fields as the canonical codec names and orders them. */
    public static void write(JsonGenerator g, InboxIssues i) throws IOException {
        g.writeStartObject();
        g.writeNumberField("clock_not_adopted", i.clockNotAdopted());
        g.writeFieldName("last_clock_not_adopted");
        write(g, i.lastClockNotAdopted());
        g.writeNumberField("skipped", i.skipped());
        g.writeFieldName("last_skipped");
        write(g, i.lastSkipped());
        g.writeEndObject();
    }

    private static void write(JsonGenerator g, InboxIssues.Issue i) throws IOException {
        if (i == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeStringField("event_id", i.eventId());
        g.writeStringField("cursor", i.cursor());
        writeNumberField(g, "lamport_clock", i.lamportClock());
        g.writeStringField("reason", i.reason());
        g.writeStringField("at", i.at());
        g.writeEndObject();
    }

    /** A number member, or {@code null} when there is none. */
    public static void writeNumberField(JsonGenerator g, String name, Long value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, value);
        }
    }

    /** A {@link SyncSummary} object, fields as the canonical codec names and orders them. */
    public static void write(JsonGenerator g, SyncSummary s) throws IOException {
        g.writeStartObject();
        g.writeBooleanField("ok", s.ok());
        g.writeStringField("server_url", s.serverUrl());
        g.writeNumberField("pushed", s.pushed());
        g.writeNumberField("duplicates", s.duplicates());
        g.writeNumberField("rejected", s.rejected());
        g.writeNumberField("pulled", s.pulled());
        g.writeNumberField("batches", s.batches());
        g.writeNumberField("parked", s.parked());
        g.writeNumberField("remaining", s.remaining());
        g.writeArrayFieldStart("rejected_events");
        for (EventOutcome o : s.rejectedEvents()) {
            g.writeStartObject();
            g.writeStringField("event_id", o.eventId());
            g.writeStringField("event_type", o.eventType());
            g.writeStringField("aggregate_id", o.aggregateId());
            g.writeStringField("status", o.status() == null ? null : o.status().wire());
            g.writeStringField("reason", o.reason());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringField("error", s.error());
        g.writeStringField("error_kind", s.errorKind() == null ? null : s.errorKind().wire());
        g.writeNumberField("duration_ms", s.durationMs());
        g.writeStringField("finished_at", s.finishedAt());
        g.writeEndObject();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static JsonNode readDocument(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) {
            throw new JsonException("malformed JSON: no content", null);
        }
        JsonNode node = TreeReader.read(p, first, 1, TreeReader.Watch.NONE);
        if (p.nextToken() != null) {
            throw new JsonException("malformed JSON: trailing content after the value at " + p.currentLocation().getColumnNr(), null);
        }
        return node;
    }

    private static void write(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                Iterator<Map.Entry<String, JsonNode>> fields = n.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> f = fields.next();
                    g.writeFieldName(f.getKey());
                    write(g, f.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode e : n) {
                    write(g, e);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(n.textValue());
            case NUMBER -> {
                if (n.isIntegralNumber()) {
                    g.writeNumber(n.bigIntegerValue());
                } else if (n.isBigDecimal()) {
                    g.writeNumber(n.decimalValue());
                } else {
                    g.writeNumber(n.doubleValue());
                }
            }
            case BOOLEAN -> g.writeBoolean(n.booleanValue());
            case NULL -> g.writeNull();
            default -> throw new IllegalArgumentException("cannot write a " + n.getNodeType() + " node as JSON");
        }
    }

    private static String message(IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }
}
