package dev.speckitty.protocol.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.json.JsonException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lean codec must agree with the project's one JSON codec on every field. */
class LeanJsonTest {
    static final String DOC = "{\"s\":\"é\\n\\\"x\",\"i\":7,\"l\":9007199254740993,\"big\":123456789012345678901234567890,"
            + "\"d\":0.25,\"e\":1.5e300,\"t\":true,\"f\":false,\"n\":null,\"a\":[1,[],{}],\"o\":{\"k\":{\"deep\":[null]}}}";

    @Test
    void treesMatchTheCanonicalCodecAndWriteBackTheSameDocument() {
        JsonNode lean = LeanJson.tree(DOC);
        assertEquals(Json.tree(DOC), lean);
        EnqueueRequest request = new EnqueueRequest(List.of(lean, Json.tree("{\"event_type\":\"X\"}")), "/work/repo");
        assertEquals(Json.tree(Json.write(request)), Json.tree(new String(LeanJson.enqueueRequest(request), java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(request, Json.read(LeanJson.enqueueRequest(request), EnqueueRequest.class), "databind reads back what the lean writer wrote");
    }

    @Test
    void malformedJsonIsAJsonExceptionWithTheParserMessage() {
        assertThrows(JsonException.class, () -> LeanJson.tree("{\"a\":"));
        assertThrows(JsonException.class, () -> LeanJson.tree("{} {}"));
        assertThrows(JsonException.class, () -> LeanJson.tree(""));
    }

    @Test
    void statusAndEnqueueResponsesRoundTripThroughTheCanonicalCodec() {
        SyncSummary last = new SyncSummary(false, "https://x", 3, 1, 1, 4, 2, 1, 5,
                List.of(new EventOutcome("01KAT0V6J8Q5R9S1T2V3W4X5Y6", "WPStatusChanged", "WP01", EventOutcome.Status.REJECTED, "bad lane")),
                "connection refused", SyncErrorKind.UNREACHABLE, 1234, "2026-11-25T10:00:00+00:00");
        StatusResponse full = new StatusResponse("0.1.0", 42, 7, "https://x", ConnectionState.AUTH_REQUIRED, "401", "2026-11-25T10:00:05+00:00",
                "ada", "team-a", new QueueStats(9, 60, Map.of("0", 7L, "3+", 2L), 1), last, "17", 99, "b805cd5cee74", 5,
                "0.1.0", false, 30, new InboxIssues(1, new InboxIssues.Issue("01KAT0V6J8Q5R9S1T2V3W4X5Y6", "17", 1000000000000000L, "r", "2026-11-25T10:00:00Z"), 0, null));
        assertEquals(full, LeanJson.status(LeanJson.tree(Json.write(full))));
        StatusResponse sparse = new StatusResponse("0.1.0", 1, 0, null, null, null, null, null, null, null, null, null, 0, null, 0);
        assertEquals(sparse, LeanJson.status(LeanJson.tree(Json.write(sparse))));
        DaemonInfo daemon = DaemonInfo.of(full);
        assertEquals(new DaemonInfo("0.1.0", 42, 7, "https://x", ConnectionState.AUTH_REQUIRED, "401", "2026-11-25T10:00:05+00:00",
                "0.1.0", false, 30), daemon);
        assertEquals(daemon, LeanJson.daemonInfo(LeanJson.tree(Json.write(daemon))));
        assertEquals(daemon, LeanJson.daemonInfo(LeanJson.tree(Json.write(full))), "an older daemon's status tells the same");
        assertEquals(DaemonInfo.of(sparse), LeanJson.daemonInfo(LeanJson.tree(Json.write(DaemonInfo.of(sparse)))));
        EnqueueResponse enqueued = new EnqueueResponse(2, List.of("a", "b"), 12);
        assertEquals(enqueued, LeanJson.enqueueResponse(LeanJson.tree(Json.write(enqueued))));
    }
}
