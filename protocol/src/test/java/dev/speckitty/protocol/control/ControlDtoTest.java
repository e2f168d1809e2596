package dev.speckitty.protocol.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.Version;
import dev.speckitty.protocol.event.EventSamples;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.json.JsonException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The daemon's control API bodies: snake_case names on the wire and round trips through {@link Json}. */
class ControlDtoTest {
    private static final EventOutcome REJECTED = new EventOutcome("01KAT0V6J8Q5R9S1T2V3W4X5Y6", "WPStatusChanged", "WP01",
            EventOutcome.Status.REJECTED, "payload.to_lane: 'x' is not allowed");
    private static final SyncSummary SUMMARY = new SyncSummary(false, "https://sync.example.com", 10, 2, 1, 5, 1, 0, 1,
            List.of(REJECTED), "cannot reach https://sync.example.com", SyncErrorKind.UNREACHABLE, 1234, "2026-11-24T10:00:00+00:00");

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void statusResponse() {
        QueueStats queue = new QueueStats(3, 120, Map.of("0", 2L, "3+", 1L), 1, new ParkedEvent("01KAT0V6J8Q5R9S1T2V3W4X5Y6",
                "HistoryAdded", "WP01", 0, "event is 300 KiB (expected: at most 256 KiB); the server refuses it", "2026-11-24T10:00:00Z"));
        StatusResponse status = new StatusResponse(Version.current(), 4242, 360, "https://sync.example.com", ConnectionState.AUTH_REQUIRED,
                "token refresh refused", "2026-11-24T10:01:00+00:00", "ada", "team-a", queue, SUMMARY, "41", 57, "b805cd5cee74", 9,
                "0.1.0", false, 30, new InboxIssues(2, new InboxIssues.Issue("01KAT0V6J8Q5R9S1T2V3W4X5Y6", "17", 1000000000000000L, "lamport_clock …", "2026-11-24T10:00:00Z"),
                        1, new InboxIssues.Issue(null, "18", null, "event is 19 MiB (expected: at most 256 KiB)", "2026-11-24T10:00:01Z")));
        String json = Json.write(status);
        JsonNode tree = Json.tree(json);
        assertEquals(List.of("version", "pid", "uptime_s", "server_url", "connection", "last_error", "next_retry_at", "user", "team",
                "queue", "last_sync", "cursor", "clock", "node_id", "inbox", "server_version", "live", "poll_interval_s", "inbox_issues", "waiting"),
                names(tree));
        assertEquals(List.of("clock_not_adopted", "last_clock_not_adopted", "skipped", "last_skipped"), names(tree.get("inbox_issues")));
        assertEquals(List.of("event_id", "cursor", "lamport_clock", "reason", "at"), names(tree.at("/inbox_issues/last_skipped")));
        assertTrue(tree.at("/inbox_issues/last_skipped/event_id").isNull(), "an event too large to read has no id");
        assertEquals("auth_required", tree.get("connection").asText());
        assertEquals(List.of("depth", "oldest_age_s", "retries", "parked", "last_parked"), names(tree.get("queue")));
        assertEquals(status, Json.read(json, StatusResponse.class));
    }

    @Test
    void statusResponseKeepsNullsSoClientsSeeEveryField() {
        StatusResponse fresh = new StatusResponse("0.1.0", 1, 0, null, ConnectionState.NOT_CONFIGURED, null, null, null, null,
                new QueueStats(0, 0, null, 0), null, "0", 0, "b805cd5cee74", 0);
        JsonNode tree = Json.tree(Json.write(fresh));
        assertTrue(tree.get("server_url").isNull());
        assertTrue(tree.get("last_sync").isNull());
        assertEquals("not_configured", tree.get("connection").asText());
        assertEquals(Map.of(), Json.read(Json.write(fresh), StatusResponse.class).queue().retries());
    }

    @Test
    void connectionStatesOnTheWire() {
        assertEquals(List.of("connected", "connecting", "offline", "auth_required", "not_configured"),
                java.util.Arrays.stream(ConnectionState.values()).map(ConnectionState::wire).toList());
        assertEquals(ConnectionState.OFFLINE, ConnectionState.fromWire("offline"));
        assertThrows(JsonException.class, () -> Json.read("\"sleeping\"", ConnectionState.class));
    }

    @Test
    void syncSummaryNames() {
        JsonNode tree = Json.tree(Json.write(SUMMARY));
        assertEquals(List.of("ok", "server_url", "pushed", "duplicates", "rejected", "pulled", "batches", "parked", "remaining",
                "rejected_events", "error", "error_kind", "duration_ms", "finished_at"), names(tree));
        assertEquals(List.of("event_id", "event_type", "aggregate_id", "status", "reason"), names(tree.get("rejected_events").get(0)));
        assertEquals(SUMMARY, Json.read(Json.write(SUMMARY), SyncSummary.class));
    }

    @Test
    void syncUpdateLinesCarryOnlyWhatTheirTypeNeeds() {
        assertEquals("{\"type\":\"progress\",\"phase\":\"push\",\"done\":1000,\"total\":2500}",
                Json.write(SyncUpdate.progress("push", 1000, 2500)));
        assertEquals("{\"type\":\"event\",\"event\":{\"event_id\":\"01KAT0V6J8Q5R9S1T2V3W4X5Y6\",\"event_type\":\"WPStatusChanged\","
                + "\"aggregate_id\":\"WP01\",\"status\":\"rejected\",\"reason\":\"payload.to_lane: 'x' is not allowed\"}}",
                Json.write(SyncUpdate.event(REJECTED)));
        EventOutcome ok = new EventOutcome("01KAT0V6J9A1B2C3D4E5F6G7H8", "HistoryAdded", "WP01", EventOutcome.Status.SUCCESS, null);
        assertTrue(Json.tree(Json.write(SyncUpdate.event(ok))).get("event").get("reason").isNull(), "reason stays, as null");
        String summaryLine = Json.write(SyncUpdate.summary(SUMMARY));
        assertEquals(List.of("type", "summary"), names(Json.tree(summaryLine)));
        for (SyncUpdate u : List.of(SyncUpdate.progress("pull", 0, 0), SyncUpdate.event(REJECTED), SyncUpdate.summary(SUMMARY))) {
            String line = Json.write(u);
            assertFalse(line.contains("\n"), "one NDJSON line");
            assertEquals(u, Json.read(line, SyncUpdate.class));
        }
        // A newer daemon's kind of line is read, as one to skip, instead of failing the whole sync.
        assertEquals(new SyncUpdate.Other(), Json.read("{\"type\":\"heartbeat\",\"at\":\"2026-12-07T10:00:00Z\"}", SyncUpdate.class));
        assertEquals(new SyncUpdate.Other(), Json.read("{\"phase\":\"push\"}", SyncUpdate.class));
    }

    @Test
    void syncRequestAndDryRun() {
        assertEquals("{\"verbose\":true,\"dry_run\":false}", Json.write(new SyncRequest(true, false)));
        assertEquals(new SyncRequest(false, true), Json.read("{\"dry_run\": true}", SyncRequest.class));
        DryRunReport report = new DryRunReport("https://sync.example.com", 2500, 3, Map.of("WPStatusChanged", 2000L, "HistoryAdded", 500L), 1, -1);
        JsonNode tree = Json.tree(Json.write(report));
        assertEquals(List.of("server_url", "to_push", "batches", "by_type", "parked", "to_pull"), names(tree));
        assertEquals(report, Json.read(Json.write(report), DryRunReport.class));
    }

    @Test
    void enqueue() {
        EnqueueRequest request = new EnqueueRequest(List.of(EventSamples.event("WPCreated"),
                Json.tree("{\"event_type\": \"HistoryAdded\", \"aggregate_id\": \"WP01\", \"payload\": {}}")), "/home/ada/project");
        String json = Json.write(request);
        assertEquals(List.of("events", "cwd"), names(Json.tree(json)));
        assertEquals(request, Json.read(json, EnqueueRequest.class));
        assertEquals(List.of(), Json.read("{\"cwd\": \"/\"}", EnqueueRequest.class).events());

        EnqueueResponse response = new EnqueueResponse(2, List.of("01KAT0V6J8Q5R9S1T2V3W4X5Y6", "01KAT0V6J9A1B2C3D4E5F6G7H8"), 17);
        assertEquals("{\"accepted\":2,\"event_ids\":[\"01KAT0V6J8Q5R9S1T2V3W4X5Y6\",\"01KAT0V6J9A1B2C3D4E5F6G7H8\"],\"queue_depth\":17}",
                Json.write(response));
        assertEquals(response, Json.read(Json.write(response), EnqueueResponse.class));
    }

    @Test
    void parked() {
        ParkedEvent parked = new ParkedEvent("01KAT0V6J8Q5R9S1T2V3W4X5Y6", "WPStatusChanged", "WP01", 3, "bad lane", "2026-11-24T10:00:00+00:00");
        assertEquals(List.of("event_id", "event_type", "aggregate_id", "retry_count", "reason", "parked_at"), names(Json.tree(Json.write(parked))));
        assertEquals(parked, Json.read(Json.write(parked), ParkedEvent.class));
        assertEquals("{\"event_ids\":[],\"all\":true}", Json.write(new ParkedAction(null, true)));
        assertEquals(new ParkedAction(List.of("E1"), false), Json.read("{\"event_ids\": [\"E1\"]}", ParkedAction.class));
    }

    @Test
    void pathsHeaderAndVersion() {
        assertEquals("/v1/status", ControlApi.STATUS);
        assertEquals("/v1/sync", ControlApi.SYNC);
        assertEquals("/v1/events", ControlApi.EVENTS);
        assertEquals("/v1/metrics", ControlApi.METRICS);
        assertEquals("/v1/shutdown", ControlApi.SHUTDOWN);
        assertEquals("X-Spec-Kitty-Version", ControlApi.VERSION_HEADER);
        assertEquals("application/x-ndjson", ControlApi.NDJSON);
        assertTrue(Version.current().matches("\\d+\\.\\d+\\.\\d+.*"), "version stamped at build time: " + Version.current());
    }
}
