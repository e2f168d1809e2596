package dev.speckitty.daemon.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.daemon.Daemon;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.local.SpecKittyHome;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit through the real control socket of a real daemon (no server configured) and its real
 * queue.db: 8 producers x 500 one-event requests at once, one of them invalid. Every valid request is
 * answered with ids that are in queue.db exactly once, the Lamport values are unique and increase in
 * commit order (the queue's row order), the invalid request is refused alone with its own reason, and
 * requests did share transactions (answers of one group carry the same queue depth).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GroupCommitSocketTest {
    private static final int PRODUCERS = 8;
    private static final int REQUESTS = 500;
    private static final int BAD_PRODUCER = 3;
    private static final int BAD_REQUEST = 250;

    @TempDir
    Path dir;

    private static String draft(String type, String text) {
        return "{\"events\":[{\"event_type\":\"" + type + "\",\"aggregate_id\":\"WP01\",\"aggregate_type\":\"WorkPackage\","
                + "\"payload\":{\"wp_id\":\"WP01\",\"entry_type\":\"note\",\"entry_content\":\"" + text + "\"}}],\"cwd\":null}";
    }

    /** One answered request: its producer, its place in that producer's sequence, the ids and depth answered. */
    private record Answer(int producer, int index, List<String> ids, long depth) {
    }

    @Test
    void concurrentEnqueuesShareTransactionsAndEachIsAnsweredAfterItsCommit() throws Exception {
        SpecKittyHome home = SpecKittyHome.at(dir.resolve("home"));
        List<Answer> answers = new ArrayList<>();
        Map<String, String> refusals = new ConcurrentHashMap<>();
        try (Daemon daemon = Daemon.start(home, () -> { })) {
            ExecutorService producers = Executors.newFixedThreadPool(PRODUCERS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Answer>>> results = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                int producer = p;
                results.add(producers.submit(() -> {
                    List<Answer> mine = new ArrayList<>();
                    try (UnixHttp http = UnixHttp.connect(daemon.socket())) { // one keep-alive connection per producer
                        start.await();
                        for (int i = 0; i < REQUESTS; i++) {
                            boolean bad = producer == BAD_PRODUCER && i == BAD_REQUEST;
                            UnixHttp.Response r = http.exchange("POST", "/v1/events",
                                    draft(bad ? "NoSuchEventType" : "HistoryAdded", "p" + producer + "-" + i));
                            if (bad) {
                                refusals.put(r.status() + "", r.body());
                                continue;
                            }
                            assertEquals(200, r.status(), r.body());
                            JsonNode body = Json.tree(r.body());
                            List<String> ids = new ArrayList<>();
                            body.path("event_ids").forEach(id -> ids.add(id.asText()));
                            assertEquals(1, body.path("accepted").asInt(), r.body());
                            mine.add(new Answer(producer, i, ids, body.path("queue_depth").asLong()));
                        }
                    }
                    return mine;
                }));
            }
            start.countDown();
            for (Future<List<Answer>> f : results) {
                answers.addAll(f.get(100, TimeUnit.SECONDS));
            }
            producers.shutdownNow();
        }

        // The invalid request: refused alone, with its own reason.
        assertEquals(Set.of("400"), refusals.keySet(), "the invalid request's answer: " + refusals);
        assertTrue(refusals.get("400").contains("event_type"), refusals.get("400"));
        int valid = PRODUCERS * REQUESTS - 1;
        assertEquals(valid, answers.size());

        // queue.db: every answered id exactly once; Lamport values unique and increasing in commit (row) order.
        List<String> rowIds = new ArrayList<>();
        List<Long> lamports = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.queueDb());
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT event_id, data FROM queue ORDER BY id")) {
            while (r.next()) {
                rowIds.add(r.getString(1));
                lamports.add(Json.tree(r.getString(2)).path("lamport_clock").asLong());
            }
        }
        assertEquals(valid, rowIds.size(), "rows in queue.db");
        Set<String> answered = new HashSet<>();
        for (Answer a : answers) {
            assertEquals(1, a.ids().size());
            assertTrue(answered.add(a.ids().get(0)), "answered twice: " + a.ids().get(0));
        }
        assertEquals(answered, new HashSet<>(rowIds), "the ids answered are the ids queued");
        assertEquals(valid, new HashSet<>(rowIds).size(), "ids unique");
        for (int i = 1; i < lamports.size(); i++) {
            assertTrue(lamports.get(i) > lamports.get(i - 1),
                    "Lamport values must increase in commit order: row " + i + " has " + lamports.get(i) + " after " + lamports.get(i - 1));
        }

        // Each producer's own requests: answered in order, each after its commit (its depth counts its own row).
        Map<String, Integer> rowOf = new HashMap<>();
        for (int i = 0; i < rowIds.size(); i++) {
            rowOf.put(rowIds.get(i), i);
        }
        Map<Long, Integer> perDepth = new HashMap<>();
        for (Answer a : answers) {
            int row = rowOf.get(a.ids().get(0));
            assertTrue(a.depth() >= row + 1, "answered with depth " + a.depth() + " before its row " + (row + 1) + " was committed");
            perDepth.merge(a.depth(), 1, Integer::sum);
        }
        // Requests of one group are answered with the depth after that group's commit.
        int groups = perDepth.size();
        assertTrue(groups < valid, "no two requests shared a transaction: " + groups + " commits for " + valid + " requests");
        System.out.println("group commit: " + valid + " requests in " + groups + " transactions, largest group "
                + perDepth.values().stream().mapToInt(Integer::intValue).max().orElse(0));
    }
}
