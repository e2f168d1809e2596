package dev.speckitty.protocol.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.json.Utf8;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bounds of {@link EventLimits} as EventValidator applies them: size, depth, storable text, timestamp years. */
class EventBoundsValidationTest {
    /** Text that exercises every way the encoded size is counted: escapes, 2-, 3- and 4-byte UTF-8. */
    private static final String MIXED = "a\"b\\c\n\t\b\f\r\u0001\u001f\u007f é€😀/";

    private static int encodedSize(JsonNode event) {
        return Json.write(event).getBytes(StandardCharsets.UTF_8).length;
    }

    /** A HistoryAdded event whose compact UTF-8 JSON is exactly {@code bytes} long. */
    private static ObjectNode eventOfSize(int bytes) {
        ObjectNode e = EventSamples.event("HistoryAdded");
        ObjectNode payload = (ObjectNode) e.get("payload");
        payload.put("entry_content", MIXED);
        payload.set("extra", Json.tree("[1, -22, 3.5, true, false, null, {\"k\": \"v\"}, []]"));
        payload.put("entry_content", MIXED + "x".repeat(bytes - encodedSize(e)));
        assertEquals(bytes, encodedSize(e));
        return e;
    }

    @Test
    void anEventOfExactlyTheLimitIsValidAndOneByteMoreIsNot() {
        assertEquals(List.of(), EventValidator.validate(eventOfSize(EventLimits.MAX_EVENT_BYTES)));
        ObjectNode over = eventOfSize(EventLimits.MAX_EVENT_BYTES + 1);
        assertEquals(List.of(new Violation("event", "262145 bytes as compact UTF-8 JSON (expected: at most 262144)")),
                EventValidator.validate(over));
    }

    @Test
    void theSizeCountsWhatJacksonWritesForEveryKindOfValue() {
        for (String type : EventType.wireNames()) {
            ObjectNode e = EventSamples.event(type);
            ((ObjectNode) e.get("payload")).put("note", MIXED + "\u2028");
            e.put("unknown_member", 12345678901L);
            int size = encodedSize(e);
            ((ObjectNode) e.get("payload")).put("note", MIXED + "\u2028" + "y".repeat(EventLimits.MAX_EVENT_BYTES - size + 1));
            List<Violation> v = EventValidator.validate(e);
            assertEquals(List.of(new Violation("event", (EventLimits.MAX_EVENT_BYTES + 1)
                    + " bytes as compact UTF-8 JSON (expected: at most 262144)")), v, type);
        }
    }

    /** WPStatusChanged's policy_metadata is at level 3; {@code extra} more levels of objects inside it. */
    private static ObjectNode nested(int extra) {
        ObjectNode e = EventSamples.event("WPStatusChanged");
        ObjectNode at = (ObjectNode) e.get("payload").get("policy_metadata");
        for (int i = 0; i < extra; i++) {
            at = at.putObject("n");
        }
        return e;
    }

    @Test
    void depthThirtyTwoIsValidAndThirtyThreeIsNot() {
        assertEquals(List.of(), EventValidator.validate(nested(EventLimits.MAX_DEPTH - 3)));
        assertEquals(List.of(new Violation("event", "objects and arrays nested more than 32 levels deep "
                + "(expected: at most 32, the envelope being level 1)")), EventValidator.validate(nested(EventLimits.MAX_DEPTH - 2)));
    }

    @Test
    void nineHundredNinetyFiveLevelsAreRefusedWithoutRecursingThatDeep() {
        StringBuilder deep = new StringBuilder();
        deep.append("[".repeat(990)).append("]".repeat(990));
        ObjectNode e = EventSamples.event("WPStatusChanged");
        ((ObjectNode) e.get("payload")).set("policy_metadata", Json.tree("{\"deep\": " + deep + "}"));
        List<Violation> v = EventValidator.validate(e);
        assertEquals(1, v.size(), v.toString());
        assertTrue(v.get(0).message().startsWith("objects and arrays nested more than 32"), v.toString());
    }

    @Test
    void nulAnywhereIsRefusedWithItsPath() {
        ObjectNode e = EventSamples.event("WPCreated");
        ((ObjectNode) e.get("payload")).put("title", "a\u0000b");
        assertEquals(List.of(new Violation("payload.title",
                "contains U+0000 at character 1 (expected: text without NUL characters, which cannot be stored)")),
                EventValidator.validate(e));

        ObjectNode inList = EventSamples.event("WPStatusChanged");
        ((ObjectNode) inList.get("payload").get("policy_metadata")).set("tags", Json.tree("[\"ok\", \"x\\u0000\"]"));
        assertEquals("payload.policy_metadata.tags[1]", EventValidator.validate(inList).get(0).field());

        ObjectNode inName = EventSamples.event("WPStatusChanged");
        ((ObjectNode) inName.get("payload").get("policy_metadata")).put("k\u0000", "v");
        assertEquals(List.of(new Violation("payload.policy_metadata", "a member name contains U+0000 at character 1 "
                + "(expected: text without NUL characters, which cannot be stored)")), EventValidator.validate(inName));
    }

    @Test
    void aLoneSurrogateFromAnEscapeIsRefusedAndAPairIsFine() {
        ObjectNode e = (ObjectNode) Json.tree(Json.write(EventSamples.event("WPCreated")).replace("Queue store", "a\\ud800b"));
        assertEquals(List.of(new Violation("payload.title", "is not valid Unicode (a lone surrogate such as \\ud800, or bytes "
                + "that are not UTF-8) at character 1 (expected: well-formed text, which is stored exactly as sent)")),
                EventValidator.validate(e));
        ObjectNode pair = (ObjectNode) Json.tree(Json.write(EventSamples.event("WPCreated")).replace("Queue store", "a\\ud83d\\ude00b"));
        assertEquals(List.of(), EventValidator.validate(pair));
        assertEquals("a😀b", pair.get("payload").get("title").asText());
    }

    /** The sample WPCreated event as UTF-8 with {@code bad} in place of the title's space. */
    private static byte[] withBytesInTitle(byte[] bad) {
        byte[] json = Json.write(EventSamples.event("WPCreated")).getBytes(StandardCharsets.UTF_8);
        String text = new String(json, StandardCharsets.UTF_8);
        int at = text.indexOf("Queue store") + "Queue".length();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(json, 0, at);
        out.writeBytes(bad);
        out.write(json, at + 1, json.length - at - 1);
        return out.toByteArray();
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedInsteadOfReadAsSomethingElse() {
        for (byte[] bad : List.of(new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0xFF}, new byte[] {(byte) 0x80})) {
            byte[] json = withBytesInTitle(bad);
            assertFalse(Utf8.isWellFormed(json));
            List<Violation> v = EventValidator.validate(Json.treeMarkingMalformedUtf8(json));
            assertEquals(1, v.size(), v.toString());
            assertEquals("payload.title", v.get(0).field());
            assertTrue(v.get(0).message().startsWith("is not valid Unicode"), v.toString());
        }
        byte[] fine = withBytesInTitle("é€😀".getBytes(StandardCharsets.UTF_8));
        assertTrue(Utf8.isWellFormed(fine));
        assertEquals(List.of(), EventValidator.validate(Json.treeMarkingMalformedUtf8(fine)));
        assertEquals("Queueé€😀store", Json.treeMarkingMalformedUtf8(fine).get("payload").get("title").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0001-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "+10000-01-01T00:00:00Z"})
    void timestampYearsOutsideTheBoundsAreRefused(String timestamp) {
        ObjectNode e = EventSamples.event("WPStatusChanged");
        e.put("timestamp", timestamp);
        assertEquals(List.of(new Violation("timestamp", "'" + timestamp + "' (expected: a year in 1970..9999)")),
                EventValidator.validate(e));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1970-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z"})
    void timestampYearsAtTheBoundsAreFine(String timestamp) {
        ObjectNode e = EventSamples.event("WPStatusChanged");
        e.put("timestamp", timestamp);
        assertEquals(List.of(), EventValidator.validate(e));
    }

    @Test
    void theUnknownOffsetIsRefusedInTheEnvelopeAndInPayloads() {
        ObjectNode e = EventSamples.event("FeatureCreated");
        e.put("timestamp", "2026-11-24T10:00:00-00:00");
        ((ObjectNode) e.get("payload")).put("created_at", "2026-11-24T09:59:00-00:00");
        assertEquals(List.of(new Violation("timestamp", "'2026-11-24T10:00:00-00:00' is not UTC (expected: offset Z or +00:00)"),
                new Violation("payload.created_at", "'2026-11-24T09:59:00-00:00' has the offset -00:00, which means unknown "
                        + "(expected: a known offset such as +00:00)")), EventValidator.validate(e));
        ((ObjectNode) e.get("payload")).put("created_at", "9999-12-31T23:00:00-05:00");
        e.put("timestamp", "2026-11-24T10:00:00Z");
        assertEquals(List.of(new Violation("payload.created_at", "'9999-12-31T23:00:00-05:00' (expected: a year in 1970..9999)")),
                EventValidator.validate(e));
    }
}
