package dev.speckitty.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.wire.BatchResponse;
import dev.speckitty.protocol.wire.EventResult;
import dev.speckitty.protocol.wire.ResultStatus;
import dev.speckitty.testing.TestEvents;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConcurrentIngestTest {
    private static final int CLIENTS = 8;
    private static final int PER_CLIENT = 10_000;
    private static final int STRIDE = 5_000; // each client's window overlaps the next one's by half
    private static final int BATCH = 1_000;

    @TempDir
    Path dir;

    @Test
    void eightClientsWithOverlappingUploadsLeaveEachDistinctEventOnceWithDenseCursors() throws Exception {
        int distinct = (CLIENTS - 1) * STRIDE + PER_CLIENT;
        List<JsonNode> pool = TestEvents.fresh("team-a", distinct);
        // Windows start on batch boundaries, so clients share batch bodies: compress each once.
        List<byte[]> bodies = new ArrayList<>();
        for (int start = 0; start < distinct; start += BATCH) {
            bodies.add(ApiClient.gzip(Json.writeBytes(Map.of("events", pool.subList(start, start + BATCH)))));
        }
        try (TeamServer server = TeamServer.start(TestStore.loopback(dir))) {
            for (int i = 0; i < CLIENTS; i++) {
                server.users().add("dev" + i, "team-a", "pw");
            }
            ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<Integer>> successes = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    int client = i;
                    successes.add(threads.submit(() -> upload(server, client, bodies)));
                }
                int stored = 0;
                for (Future<Integer> f : successes) {
                    stored += f.get(50, TimeUnit.SECONDS);
                }
                assertEquals(distinct, stored, "each distinct event is stored exactly once across all clients");
            } finally {
                threads.shutdownNow();
            }

            ApiClient reader = new ApiClient(server.url());
            String access = reader.login("dev0", "pw").access();
            Set<String> seen = new HashSet<>();
            long cursor = 0;
            boolean more = true;
            while (more) {
                // A tree, not PullPage: decoding 45,000 Event records on the test side only slows the test.
                JsonNode page = Json.tree(reader.get(dev.speckitty.protocol.wire.Api.EVENTS + "?after=" + cursor + "&limit=1000", access).body());
                for (JsonNode e : page.get("events")) {
                    String id = e.get("event_id").asText();
                    assertFalse(!seen.add(id), "event " + id + " pulled twice");
                }
                assertEquals(cursor + page.get("events").size(), page.get("next_cursor").asLong(), "cursors are dense");
                cursor = page.get("next_cursor").asLong();
                more = page.get("has_more").asBoolean();
            }
            assertEquals(distinct, cursor);
            Set<String> expected = new HashSet<>();
            pool.forEach(e -> expected.add(e.get("event_id").asText()));
            assertEquals(expected, seen);
        }
    }

    private static int upload(TeamServer server, int client, List<byte[]> bodies) {
        ApiClient api = new ApiClient(server.url());
        String access = api.login("dev" + client, "pw").access();
        int successes = 0;
        int from = client * STRIDE;
        for (int start = from; start < from + PER_CLIENT; start += BATCH) {
            byte[] body = bodies.get(start / BATCH);
            HttpResponse<String> r = api.batchRaw(access, body);
            assertEquals(200, r.statusCode(), r.body());
            List<EventResult> results = Json.read(r.body(), BatchResponse.class).results();
            assertEquals(BATCH, results.size());
            for (EventResult res : results) {
                if (res.status() == ResultStatus.SUCCESS) {
                    successes++;
                } else {
                    assertEquals(ResultStatus.DUPLICATE, res.status(), res.toString());
                }
            }
        }
        return successes;
    }
}
