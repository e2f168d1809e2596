package dev.speckitty.protocol.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.json.JsonException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The bounded reader of {@code POST /v1/events}: the same request as the databind codec reads, and a refusal at each bound. */
class EnqueueRequestReaderTest {
    private static final EnqueueRequestReader.Budget UNLIMITED = n -> { };

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsWhatTheCanonicalCodecReadsAndSkipsOtherFields() {
        String body = "{\"extra\":{\"deep\":[1,2,{\"x\":null}]},\"events\":[{\"event_type\":\"WPStatusChanged\",\"aggregate_id\":\"WP01\","
                + "\"payload\":{\"wp_id\":\"WP01\",\"n\":12345678901,\"big\":123456789012345678901234,\"f\":1.5,\"t\":true,\"z\":null,"
                + "\"list\":[\"a\",2,[]]}},{\"event_id\":\"01KAT0V6J8Q5R9S1T2V3W4X5Y6\"}],\"cwd\":\"/work/x\"}";
        EnqueueRequest read = EnqueueRequestReader.read(bytes(body), UNLIMITED);
        assertEquals(Json.read(bytes(body), EnqueueRequest.class), read);
        assertEquals("/work/x", read.cwd());
        assertEquals(new EnqueueRequest(null, null), EnqueueRequestReader.read(bytes("{\"cwd\":null}"), UNLIMITED));
    }

    @Test
    void takesItsValuesFromTheBudgetInBlocks() {
        AtomicLong taken = new AtomicLong();
        StringBuilder body = new StringBuilder("{\"events\":[");
        for (int i = 0; i < 1000; i++) {
            body.append(i == 0 ? "" : ",").append("{\"a\":1,\"b\":[2,3]}"); // 5 values each
        }
        EnqueueRequestReader.read(bytes(body.append("]}").toString()), taken::addAndGet);
        assertEquals(5000, taken.get());
    }

    @Test
    void refusesPastEachBound() {
        StringBuilder many = new StringBuilder("{\"events\":[");
        for (int i = 0; i <= EnqueueRequestReader.MAX_EVENTS; i++) {
            many.append(i == 0 ? "{}" : ",{}");
        }
        RequestTooLargeException events = assertThrows(RequestTooLargeException.class,
                () -> EnqueueRequestReader.read(bytes(many.append("]}").toString()), UNLIMITED));
        assertTrue(events.getMessage().startsWith("more than 10,000 events in one request (expected: at most 10,000"), events.getMessage());

        String deep = "{\"events\":[" + "[".repeat(EnqueueRequestReader.MAX_DEPTH + 1) + "]".repeat(EnqueueRequestReader.MAX_DEPTH + 1) + "]}";
        RequestTooLargeException depth = assertThrows(RequestTooLargeException.class,
                () -> EnqueueRequestReader.read(bytes(deep), UNLIMITED));
        assertTrue(depth.getMessage().startsWith("an event nested deeper than 64 levels"), depth.getMessage());

        IllegalStateException dry = assertThrows(IllegalStateException.class, () -> EnqueueRequestReader.read(
                bytes("{\"events\":[" + "[1],".repeat(1000) + "[1]]}"), n -> {
                    throw new IllegalStateException("no more");
                }));
        assertEquals("no more", dry.getMessage(), "the budget's refusal, as it threw it");

        assertThrows(JsonException.class, () -> EnqueueRequestReader.read(bytes("{\"events\":[{}"), UNLIMITED));
        assertThrows(JsonException.class, () -> EnqueueRequestReader.read(bytes("[]"), UNLIMITED));
        assertThrows(JsonException.class, () -> EnqueueRequestReader.read(bytes("{\"events\":{}}"), UNLIMITED));
        assertThrows(JsonException.class, () -> EnqueueRequestReader.read(bytes("{\"events\":[]} {}"), UNLIMITED));
        assertNull(EnqueueRequestReader.read(bytes("{\"events\":[{}],\"cwd\":null}"), UNLIMITED).cwd());
    }
}
