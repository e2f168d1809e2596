package dev.speckitty.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.engine.store.QueueStore;
import dev.speckitty.protocol.control.EnqueueResponse;
import dev.speckitty.protocol.event.Ulid;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.local.LamportClock;
import dev.speckitty.protocol.local.SpecKittyHome;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertThrows;
import dev.speckitty.protocol.control.EnqueueRequest;
import dev.speckitty.protocol.event.InvalidEventException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit while the identity changes between requests (a login switch): producers record for two
 * identities at once, each request under the one its thread sees. Every queued row's server
 * ({@code queue_scope}) is the server of the identity whose team the event carries, although requests
 * of both identities wait for the same committer; and requests did share transactions.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GroupCommitTest {
    private static final int PRODUCERS = 8;
    private static final int REQUESTS = 150;
    private static final Recording A = new Recording("team-a", "https://a.example");
    private static final Recording B = new Recording("team-b", "https://b.example");

    @TempDir
    Path dir;

    private static JsonNode draft(int n) {
        return Json.tree("{\"event_type\":\"HistoryAdded\",\"aggregate_id\":\"WP01\",\"payload\":{\"wp_id\":\"WP01\","
                + "\"entry_type\":\"note\",\"entry_content\":\"note " + n + "\"}}");
    }

    @Test
    void aGroupNeverGivesOneIdentitysEventsAnothersServer() throws Exception {
        SpecKittyHome home = SpecKittyHome.at(dir.resolve("home"));
        LamportClock clock = LamportClock.of(home);
        ThreadLocal<Recording> as = new ThreadLocal<>();
        EventFactory factory = new EventFactory(clock, new Ulid(Clock.systemUTC(), new SecureRandom()), as::get, Clock.systemUTC());
        List<Long> depths = new ArrayList<>();
        try (QueueStore store = QueueStore.open(home.queueDb(), new QueueStore.StoreOptions(1_000_000, 3, Clock.systemUTC()));
             GroupCommit groups = new GroupCommit(store, clock)) {
            ExecutorService producers = Executors.newFixedThreadPool(PRODUCERS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Long>>> done = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                int producer = p;
                done.add(producers.submit(() -> {
                    start.await();
                    List<Long> seen = new ArrayList<>();
                    for (int i = 0; i < REQUESTS; i++) {
                        as.set((producer + i) % 2 == 0 ? A : B); // each thread switches identity at every request
                        CompletableFuture<EnqueueResponse> answer = groups.submit(factory.prepare(List.of(draft(i)), null), 200);
                        seen.add(answer.get(30, TimeUnit.SECONDS).queueDepth());
                    }
                    return seen;
                }));
            }
            start.countDown();
            for (Future<List<Long>> f : done) {
                depths.addAll(f.get(50, TimeUnit.SECONDS));
            }
            producers.shutdown();
        }

        Map<String, Integer> rows = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.queueDb());
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT json_extract(q.data, '$.team_slug'), d.server FROM queue q"
                     + " LEFT JOIN queue_scope d ON d.event_id = q.event_id")) {
            while (r.next()) {
                rows.merge(r.getString(1) + " @ " + r.getString(2), 1, Integer::sum);
            }
        }
        int each = PRODUCERS * REQUESTS / 2;
        assertEquals(Map.of("team-a @ https://a.example", each, "team-b @ https://b.example", each), rows);
        assertTrue(depths.stream().distinct().count() < depths.size(),
                "no two requests shared a transaction, so no group was split: " + depths.size() + " depths all distinct");
    }

    /**
     * Import parts (requests of more than a group's events, queued alone and built on a second thread)
     * among concurrent one-event requests, in the daemon's engine: every event is queued once, the
     * Lamport values increase in commit order (the queue's row order), each part's events are queued
     * together and in its order, and a part with one bad event is refused whole, naming that event by
     * its place in the part.
     */
    @Test
    void largeRequestsCommitWholeInTheirTurnAmongSmallOnes() throws Exception {
        SpecKittyHome home = SpecKittyHome.at(dir.resolve("home"));
        int small = 4;
        int parts = 3;
        int partEvents = 2_500;
        List<List<String>> partIds = new ArrayList<>();
        int[] smallEvents = {0};
        try (LocalEngine engine = LocalEngine.openForDaemon(home)) {
            ExecutorService producers = Executors.newFixedThreadPool(small);
            CountDownLatch start = new CountDownLatch(1);
            java.util.concurrent.atomic.AtomicBoolean partsDone = new java.util.concurrent.atomic.AtomicBoolean();
            List<Future<Integer>> done = new ArrayList<>();
            for (int p = 0; p < small; p++) {
                done.add(producers.submit(() -> {
                    start.await();
                    int accepted = 0;
                    for (int i = 0; i < 100 || !partsDone.get(); i++) { // one-event requests all through the parts
                        accepted += engine.enqueueGrouped(new EnqueueRequest(List.of(draft(i)), null), 200).get(30, TimeUnit.SECONDS).accepted();
                    }
                    return accepted;
                }));
            }
            start.countDown();
            for (int p = 0; p < parts; p++) {
                List<JsonNode> part = new ArrayList<>();
                for (int i = 0; i < partEvents; i++) {
                    part.add(draft(i));
                }
                EnqueueResponse answer = engine.enqueueGrouped(new EnqueueRequest(part, null), 500_000).get(30, TimeUnit.SECONDS);
                assertEquals(partEvents, answer.accepted());
                assertEquals(partEvents, answer.eventIds().size());
                partIds.add(answer.eventIds());
            }
            partsDone.set(true);
            int smallAccepted = 0;
            for (Future<Integer> f : done) {
                smallAccepted += f.get(50, TimeUnit.SECONDS);
            }
            smallEvents[0] = smallAccepted;
            producers.shutdown();

            List<JsonNode> bad = new ArrayList<>();
            for (int i = 0; i < partEvents; i++) {
                bad.add(i == 1_700 ? Json.tree("{\"event_type\":\"HistoryAdded\",\"aggregate_id\":\"WP01\",\"payload\":{}}") : draft(i));
            }
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> engine.enqueueGrouped(new EnqueueRequest(bad, null), 500_000).get(30, TimeUnit.SECONDS));
            InvalidEventException invalid = (InvalidEventException) refused.getCause();
            assertTrue(invalid.getMessage().contains("events[1700]."), invalid.getMessage());
        }

        List<String> ids = new ArrayList<>();
        List<Long> lamport = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.queueDb());
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT event_id, json_extract(data, '$.lamport_clock') FROM queue ORDER BY id")) {
            while (r.next()) {
                ids.add(r.getString(1));
                lamport.add(r.getLong(2));
            }
        }
        assertEquals(smallEvents[0] + parts * partEvents, ids.size(), "every event once; nothing of the refused part");
        for (int i = 1; i < lamport.size(); i++) {
            assertTrue(lamport.get(i) > lamport.get(i - 1), "row " + i + ": " + lamport.get(i) + " after " + lamport.get(i - 1));
        }
        for (List<String> part : partIds) {
            int first = ids.indexOf(part.get(0));
            assertEquals(part, ids.subList(first, first + part.size()), "a part's events are queued together, in its order");
        }
    }
}
