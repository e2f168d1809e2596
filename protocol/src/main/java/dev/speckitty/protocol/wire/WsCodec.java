package dev.speckitty.protocol.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.json.JsonException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Turns {@link WsMessage}s into JSON text frames and back. Stateless. */
public final class WsCodec {
    /** How a server event frame starts, as {@link #encode} and {@link #eventFrame} write it. */
    private static final String EVENT_FRAME_START = "{\"type\":\"event\",\"cursor\":";
    private static final byte[] EVENT_FRAME_PREFIX = EVENT_FRAME_START.getBytes(StandardCharsets.US_ASCII);
    /** How many bytes {@link #looksLikeEventFrame(byte[])} needs. */
    public static final int EVENT_FRAME_START_BYTES = EVENT_FRAME_PREFIX.length;

    private WsCodec() {
    }

    /**
     * The text of an {@link WsMessage.EventFrame} whose event is already JSON text (as a server
     * stores it): the same frame as {@link #encode}, spliced instead of re-serialised.
     */
    public static String eventFrame(String cursor, String eventJson) {
        return new StringBuilder(eventJson.length() + 48).append(EVENT_FRAME_START)
                .append(Json.write(cursor)).append(",\"event\":").append(eventJson).append('}').toString();
    }

    /**
     * A cheap test for a server event frame as this codec (and so the reference server) writes it:
     * {@code type} first. A frame written another way answers false and is simply decoded; it is an
     * optimisation, never a decision about validity.
     */
    public static boolean looksLikeEventFrame(String json) {
        return json.startsWith(EVENT_FRAME_START);
    }

    /** {@link #looksLikeEventFrame(String)} on the first bytes of a frame's UTF-8 (at least {@link #EVENT_FRAME_START_BYTES} of them to answer true). */
    public static boolean looksLikeEventFrame(byte[] frameStart) {
        return frameStart.length >= EVENT_FRAME_START_BYTES
                && Arrays.equals(frameStart, 0, EVENT_FRAME_START_BYTES, EVENT_FRAME_PREFIX, 0, EVENT_FRAME_START_BYTES);
    }

    /** The JSON text of a frame. */
    public static String encode(WsMessage message) {
        ObjectNode out = Json.object();
        if (message instanceof WsMessage.Hello h) {
            out.put("type", "hello").put("server_version", h.serverVersion()).put("cursor", h.cursor());
        } else if (message instanceof WsMessage.EventFrame e) {
            out.put("type", "event").put("cursor", e.cursor());
            out.set("event", e.event().toTree());
        } else if (message instanceof WsMessage.Ping p) {
            out.put("type", "ping").put("timestamp", p.timestamp());
        } else if (message instanceof WsMessage.Pong p) {
            out.put("type", "pong").put("timestamp", p.timestamp());
            p.buildId().ifPresent(b -> out.put("build_id", b));
        } else if (message instanceof WsMessage.Snapshot snap) {
            out.put("type", "snapshot");
            com.fasterxml.jackson.databind.node.ArrayNode list = out.putArray("work_packages");
            snap.workPackages().forEach(list::add);
        } else if (message instanceof WsMessage.ClientEvent c) {
            out.put("type", "event");
            c.envelope().fields().forEachRemaining(f -> {
                if (!f.getKey().equals("type")) {
                    out.set(f.getKey(), f.getValue());
                }
            });
        } else if (message instanceof WsMessage.Ack a) {
            out.put("type", "ack").put("event_id", a.eventId()).put("status", a.status().wire()).put("error_message", a.errorMessage());
        } else if (message instanceof WsMessage.Error e) {
            out.put("type", "error").put("message", e.message());
        } else if (message instanceof WsMessage.Unknown u) {
            return u.raw().toString();
        }
        return out.toString();
    }

    /** Parses a frame; a frame that is not a JSON object with a string {@code type} is a {@link JsonException}. */
    public static WsMessage decode(String text) {
        return decode(Json.tree(text));
    }

    /**
     * {@link #decode(String)} from the frame's bytes: malformed UTF-8 is a {@link JsonException}, so a
     * receiver need not validate the frame's UTF-8 before.
     */
    public static WsMessage decode(byte[] utf8) {
        return decode(Json.tree(utf8));
    }

    private static WsMessage decode(JsonNode json) {
        if (!json.isObject() || !json.path("type").isTextual()) {
            throw new JsonException("WebSocket frame must be a JSON object with a string \"type\"", null);
        }
        String type = json.get("type").asText();
        return switch (type) {
            case "hello" -> new WsMessage.Hello(json.path("server_version").asText(""), json.path("cursor").asText(Cursor.START));
            case "event" -> json.path("event").isObject()
                    ? new WsMessage.EventFrame(json.path("cursor").asText(), Event.parse(json.get("event")))
                    : new WsMessage.ClientEvent(withoutType((ObjectNode) json));
            case "ping" -> new WsMessage.Ping(json.path("timestamp").asLong());
            case "pong" -> new WsMessage.Pong(json.path("timestamp").asLong(), json.path("build_id").isTextual()
                    ? java.util.Optional.of(json.get("build_id").asText()) : java.util.Optional.empty());
            case "snapshot" -> new WsMessage.Snapshot(json.path("work_packages").isArray()
                    ? java.util.stream.StreamSupport.stream(json.get("work_packages").spliterator(), false).toList() : java.util.List.of());
            case "ack" -> new WsMessage.Ack(json.path("event_id").asText(), status(json.path("status")),
                    json.path("error_message").isTextual() ? json.get("error_message").asText() : null);
            case "error" -> new WsMessage.Error(json.path("message").asText(""));
            default -> new WsMessage.Unknown(type, json);
        };
    }

    private static ResultStatus status(JsonNode status) {
        if (status.isMissingNode() || status.isNull()) {
            return ResultStatus.REJECTED;
        }
        try {
            return ResultStatus.fromWire(status.asText());
        } catch (IllegalArgumentException e) {
            throw new JsonException("ack status '" + status.asText() + "' (expected: success, duplicate or rejected)", e);
        }
    }

    private static ObjectNode withoutType(ObjectNode json) {
        ObjectNode copy = json.deepCopy();
        copy.remove("type");
        return copy;
    }
}
