package dev.speckitty.protocol.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.speckitty.protocol.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lean {@code sync status --json} writer gives the canonical codec's bytes for every shape of view, and databind reads them back equal. */
class StatusViewJsonTest {
    @Test
    void sameBytesAsTheCanonicalCodec() {
        Map<String, Long> retries = new LinkedHashMap<>();
        retries.put("0", 12L);
        retries.put("2", 1L);
        SyncSummary failed = new SyncSummary(false, "https://sync.example.com", 3, 1, 2, 0, 1, 1, 40,
                List.of(new EventOutcome("01KAT0V6J8Q5R9S1T2V3W4X5Y6", "WPStatusChanged", "WP01", EventOutcome.Status.REJECTED, "payload.wp_id: is required \"quoted\""),
                        new EventOutcome("01KAT0V6J8Q5R9S1T2V3W4X5Y7", null, null, EventOutcome.Status.PARKED, null)),
                "the server answered 500", SyncErrorKind.SERVER_ERROR, 1234, "2026-11-25T10:00:00Z");
        SyncSummary fine = new SyncSummary(true, null, 0, 0, 0, 5, 0, 0, 0, List.of(), null, null, 7, null);
        StatusView.Daemon up = new StatusView.Daemon(true, 4242L, "0.1.0", 93L, "connected", null, null, "ada", "team-a", "17");
        for (StatusView view : List.of(
                new StatusView(null, "/home/u/.spec-kitty/config.toml", "not_configured", "run `spec-kitty config set ...`",
                        StatusView.Daemon.notRunning(), new QueueStats(0, 0, Map.of(), 0), InboxIssues.NONE, null),
                new StatusView("https://sync.example.com", "/c.toml", "not_checked", null, up, new QueueStats(13, 3600, retries, 1,
                        new ParkedEvent("01KAT0V6J8Q5R9S1T2V3W4X5Y6", "HistoryAdded", null, 3, "event is 300 KiB \"x\"", "2026-11-25T10:00:00Z")),
                        new InboxIssues(2, new InboxIssues.Issue("01KAT0V6J8Q5R9S1T2V3W4X5Y6", "17", 1000000000000000L, "lamport_clock \"x\"", "2026-11-25T10:00:00Z"),
                                1, new InboxIssues.Issue(null, "18", null, "event is 19 MiB (expected: at most 256 KiB)", "2026-11-25T10:00:01Z")), failed),
                new StatusView("http://127.0.0.1:9", "/ü/c.toml", "unreachable", "connection refused\n(tab\t)", up,
                        new QueueStats(1, 5, Map.of("0", 1L), 0), InboxIssues.NONE, fine),
                new StatusView(null, "/c.toml", "not_checked", null, StatusView.Daemon.notRunning(), new QueueStats(0, 0, Map.of(), 0),
                        InboxIssues.NONE, null, List.of(new WaitingEvents("team-a", "https://a.example", 3),
                                new WaitingEvents("team-\"b\"", "", 1)), new StatusView.ScopedQueuesView(List.of(
                                new StatusView.ScopedQueuesView.Waiting("/h/queues/queue-0123456789abcdef.db", 2, null),
                                new StatusView.ScopedQueuesView.Waiting("/h/queues/queue-bbbbbbbbbbbbbbbb.db", 0, "cannot read it (\"x\")")), 3)))) {
            String ours = StatusViewJson.write(view);
            assertEquals(Json.write(view), ours);
            assertEquals(view, Json.read(ours, StatusView.class), "databind reads back what the lean writer wrote");
        }
    }
}
