package dev.speckitty.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.event.EventSamples;
import dev.speckitty.protocol.event.InvalidEventException;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.json.JsonException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every WebSocket frame through {@link WsCodec}: exact JSON and decode(encode(m)) == m. */
class WsCodecTest {
    private static final Event EVENT = Event.parse(EventSamples.event("WPStatusChanged"));

    static Stream<WsMessage> messages() {
        ObjectNode inline = EventSamples.event("HistoryAdded");
        return Stream.of(
                new WsMessage.Hello("0.1.0", "41"),
                new WsMessage.EventFrame("42", EVENT),
                new WsMessage.Ping(1795561169123L),
                new WsMessage.Pong(1795561169123L),
                new WsMessage.Pong(1795561169123L, java.util.Optional.of("0b4e9c8e-6f1f-4c55-9d0a-3f1e2b7c9a10")),
                new WsMessage.Snapshot(java.util.List.of()),
                new WsMessage.Snapshot(java.util.List.of(Json.tree("{\"wp_id\":\"WP01\",\"lane\":\"done\"}"))),
                new WsMessage.ClientEvent(inline),
                new WsMessage.Ack("01KAT0V6J8Q5R9S1T2V3W4X5Y6", ResultStatus.SUCCESS, null),
                new WsMessage.Ack("01KAT0V6J8Q5R9S1T2V3W4X5Y6", ResultStatus.REJECTED, "payload.wp_id: is required"),
                new WsMessage.Error("frame is not JSON"));
    }

    @ParameterizedTest
    @MethodSource("messages")
    void roundTrip(WsMessage message) {
        assertEquals(message, WsCodec.decode(WsCodec.encode(message)));
    }

    @Test
    void exactFrames() {
        assertEquals("{\"type\":\"hello\",\"server_version\":\"0.1.0\",\"cursor\":\"41\"}", WsCodec.encode(new WsMessage.Hello("0.1.0", "41")));
        assertEquals("{\"type\":\"ping\",\"timestamp\":5}", WsCodec.encode(new WsMessage.Ping(5)));
        assertEquals("{\"type\":\"pong\",\"timestamp\":5}", WsCodec.encode(new WsMessage.Pong(5)));
        assertEquals("{\"type\":\"pong\",\"timestamp\":5,\"build_id\":\"b\"}",
                WsCodec.encode(new WsMessage.Pong(5, java.util.Optional.of("b"))));
        assertEquals("{\"type\":\"snapshot\",\"work_packages\":[]}", WsCodec.encode(new WsMessage.Snapshot(java.util.List.of())));
        assertEquals("{\"type\":\"ack\",\"event_id\":\"E\",\"status\":\"duplicate\",\"error_message\":null}",
                WsCodec.encode(new WsMessage.Ack("E", ResultStatus.DUPLICATE, null)));
        assertEquals("{\"type\":\"error\",\"message\":\"bad\"}", WsCodec.encode(new WsMessage.Error("bad")));
    }

    @Test
    void serverEventFrameNestsTheEnvelope() {
        JsonNode frame = Json.tree(WsCodec.encode(new WsMessage.EventFrame("42", EVENT)));
        assertEquals("event", frame.get("type").asText());
        assertEquals("42", frame.get("cursor").asText());
        // Compared as parsed JSON: toTree() holds lamport_clock as a LongNode, parsing gives an IntNode.
        assertEquals(Json.tree(EVENT.toJson()), frame.get("event"));
        assertEquals(EVENT, Event.parse(frame.get("event")));
        assertEquals(3, frame.size());
    }

    @Test
    void splicedEventFrameIsByteForByteTheEncodedOne() {
        for (String type : List.of("WPStatusChanged", "HistoryAdded", "FeatureCreated")) {
            Event event = Event.parse(EventSamples.event(type));
            assertEquals(WsCodec.encode(new WsMessage.EventFrame("42", event)), WsCodec.eventFrame("42", event.toJson()));
            assertTrue(WsCodec.looksLikeEventFrame(WsCodec.eventFrame("42", event.toJson())));
        }
        assertFalse(WsCodec.looksLikeEventFrame(WsCodec.encode(new WsMessage.Hello("0.1.0", "41"))));
        assertFalse(WsCodec.looksLikeEventFrame(WsCodec.encode(new WsMessage.Ping(5))));
        assertFalse(WsCodec.looksLikeEventFrame(WsCodec.encode(new WsMessage.ClientEvent(EventSamples.event("HistoryAdded")))));
    }

    @ParameterizedTest
    @MethodSource("messages")
    void bytesDecodeAsTheTextDoes(WsMessage message) {
        byte[] utf8 = WsCodec.encode(message).getBytes(StandardCharsets.UTF_8);
        assertEquals(message, WsCodec.decode(utf8));
        byte[] head = Arrays.copyOf(utf8, Math.min(utf8.length, WsCodec.EVENT_FRAME_START_BYTES));
        assertEquals(message instanceof WsMessage.EventFrame, WsCodec.looksLikeEventFrame(head), WsCodec.encode(message));
        assertEquals(WsCodec.looksLikeEventFrame(WsCodec.encode(message)), WsCodec.looksLikeEventFrame(utf8));
    }

    /** A receiver that skips its own UTF-8 check relies on this: malformed UTF-8 never decodes. */
    @Test
    void malformedUtf8InAFrameIsRefused() {
        String frame = WsCodec.encode(new WsMessage.Error("caf\u00e9"));
        byte[] utf8 = frame.getBytes(StandardCharsets.UTF_8);
        int at = frame.indexOf('\u00e9');
        for (byte[] bad : List.of(
                splice(utf8, at, new byte[] {(byte) 0xC3}, 2),             // a lead byte and no continuation
                splice(utf8, at, new byte[] {(byte) 0xA9, (byte) 0xA9}, 2), // continuations with no lead byte
                splice(utf8, at, new byte[] {(byte) 0xFF, 'x'}, 2))) {      // never valid in UTF-8
            assertThrows(JsonException.class, () -> WsCodec.decode(bad), new String(bad, StandardCharsets.ISO_8859_1));
        }
        assertFalse(WsCodec.looksLikeEventFrame(new byte[0]));
    }

    private static byte[] splice(byte[] utf8, int at, byte[] insert, int replaced) {
        byte[] out = new byte[utf8.length - replaced + insert.length];
        System.arraycopy(utf8, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(utf8, at + replaced, out, at + insert.length, utf8.length - at - replaced);
        return out;
    }

    @Test
    void clientEventPutsTheEnvelopeInline() {
        ObjectNode envelope = EventSamples.event("HistoryAdded");
        JsonNode frame = Json.tree(WsCodec.encode(new WsMessage.ClientEvent(envelope)));
        assertEquals("event", frame.get("type").asText());
        assertEquals(envelope, ((ObjectNode) frame.deepCopy()).without("type"));
        assertEquals("type", frame.fieldNames().next(), "type comes first");
    }

    @Test
    void clientEventWithAStrayTypeFieldKeepsTheFrameType() {
        ObjectNode envelope = EventSamples.event("HistoryAdded");
        envelope.put("type", "ping");
        JsonNode frame = Json.tree(WsCodec.encode(new WsMessage.ClientEvent(envelope)));
        assertEquals("event", frame.get("type").asText());
        assertInstanceOf(WsMessage.ClientEvent.class, WsCodec.decode(frame.toString()));
    }

    @Test
    void invalidClientEventIsKeptRawForTheServerToJudge() {
        WsMessage m = WsCodec.decode("{\"type\": \"event\", \"event_id\": \"nope\"}");
        WsMessage.ClientEvent c = assertInstanceOf(WsMessage.ClientEvent.class, m);
        assertEquals(Json.tree("{\"event_id\": \"nope\"}"), c.envelope());
    }

    @Test
    void invalidServerEventIsAnInvalidEventException() {
        ObjectNode event = EventSamples.event("HistoryAdded");
        event.remove("node_id");
        String frame = "{\"type\":\"event\",\"cursor\":\"3\",\"event\":" + event + "}";
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> WsCodec.decode(frame));
        assertEquals("node_id", e.violations().get(0).field());
    }

    @Test
    void lenientAboutMissingOptionalMembers() {
        assertEquals(new WsMessage.Hello("", "0"), WsCodec.decode("{\"type\": \"hello\"}"));
        assertEquals(new WsMessage.Hello("1.2", "7"), WsCodec.decode("{\"type\": \"hello\", \"server_version\": \"1.2\", \"cursor\": 7}"));
        assertEquals(new WsMessage.Ack("E", ResultStatus.REJECTED, null), WsCodec.decode("{\"type\": \"ack\", \"event_id\": \"E\"}"));
        assertEquals(new WsMessage.Error(""), WsCodec.decode("{\"type\": \"error\"}"));
    }

    @Test
    void unknownTypesAreKeptForLogging() {
        WsMessage m = WsCodec.decode("{\"type\": \"resync\", \"from\": 3}");
        WsMessage.Unknown u = assertInstanceOf(WsMessage.Unknown.class, m);
        assertEquals("resync", u.type());
        assertEquals(Json.tree("{\"type\": \"resync\", \"from\": 3}"), Json.tree(WsCodec.encode(u)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"hello\"", "{}", "{\"type\": 3}", "not json", "{\"type\": \"ack\", \"event_id\": \"E\", \"status\": \"perhaps\"}"})
    void malformedFramesAreJsonExceptions(String frame) {
        assertThrows(JsonException.class, () -> WsCodec.decode(frame));
    }

    @Test
    void ackStatusMessageNamesTheAllowedValues() {
        JsonException e = assertThrows(JsonException.class,
                () -> WsCodec.decode("{\"type\": \"ack\", \"event_id\": \"E\", \"status\": \"perhaps\"}"));
        assertEquals("ack status 'perhaps' (expected: success, duplicate or rejected)", e.getMessage());
    }

    @Test
    void everyKindOfMessageIsCovered() {
        List<Class<?>> covered = messages().<Class<?>>map(Object::getClass).distinct().toList();
        List<Class<?>> all = List.of(WsMessage.class.getPermittedSubclasses());
        assertTrue(all.stream().filter(c -> c != WsMessage.Unknown.class).allMatch(covered::contains), covered.toString());
        assertFalse(covered.contains(WsMessage.Unknown.class));
    }
}
