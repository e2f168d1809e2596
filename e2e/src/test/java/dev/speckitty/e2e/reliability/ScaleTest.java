package dev.speckitty.e2e.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.TokenRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale: a queue of 50,000 (short) or 1,000,000 (long) events drains through a daemon whose heap is
 * capped, so a whole-queue read would fail; its RSS is sampled from {@code /proc} during the drain.
 * Then the server, holding them all, still answers the pull page by page.
 */
@Timeout(value = 90, unit = TimeUnit.MINUTES)
class ScaleTest {
    static final String HEAP = "-Xmx256m";

    @TempDir
    Path dir;

    @Test
    void aLargeQueueDrainsWithAFlatDaemonAndTheServerStillPullsInPages() throws Exception {
        int n = Profile.current().scaleEvents();
        try (Rig rig = Rig.create(dir)) {
            rig.login(rig.server.url());
            rig.ok("events", "import", rig.draftsFile("template.ndjson", java.util.List.of("s-template")).toString());
            Instant fillStart = Instant.now();
            fill(rig.sk.home().resolve("queue.db"), n);
            long fillMs = Duration.between(fillStart, Instant.now()).toMillis();
            assertEquals(n, rig.depth());

            Instant start = Instant.now();
            assertEquals(0, rig.sk.runWithInput("", Map.of("SPEC_KITTY_DAEMON_OPTS", HEAP), "daemon", "start").exit());
            long pid = rig.daemonPid();
            AtomicLong peak = new AtomicLong();
            AtomicLong early = new AtomicLong(-1);
            AtomicLong late = new AtomicLong(-1);
            AtomicLong samples = new AtomicLong();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> {
                long kb = rssKb(pid);
                long depth = rig.depth();
                peak.accumulateAndGet(kb, Math::max);
                samples.incrementAndGet();
                if (depth <= n * 9L / 10 && early.get() < 0) {
                    early.set(kb);
                }
                if (depth <= n / 10L && late.get() < 0) {
                    late.set(kb);
                }
            }, 0, 200, TimeUnit.MILLISECONDS);
            try {
                rig.awaitOrExplain(Duration.ofMinutes(60), n + " events to drain", () -> rig.depth() == 0);
            } finally {
                sampler.shutdown();
                sampler.awaitTermination(10, TimeUnit.SECONDS);
            }
            long drainMs = Duration.between(start, Instant.now()).toMillis();
            assertTrue(Rig.running(pid), "the daemon survived the drain with " + HEAP);

            Instant pullStart = Instant.now();
            Pulled pulled = pullAll(URI.create(rig.server.url()));
            long pullMs = Duration.between(pullStart, Instant.now()).toMillis();
            long lastPageMs = timeOnePage(URI.create(rig.server.url()), pulled.lastCursor - 1000);
            Summary.print("scale", String.format("events=%d fill_ms=%d drain_s=%.1f rate_per_s=%d daemon_heap=%s rss_peak_mb=%d rss_at_10pct_mb=%d"
                            + " rss_at_90pct_mb=%d samples=%d pull_all_s=%.1f pages=%d late_page_ms=%d stored=%d duplicated=%d",
                    n, fillMs, drainMs / 1000.0, n * 1000L / Math.max(1, drainMs), HEAP, peak.get() / 1024, early.get() / 1024,
                    late.get() / 1024, samples.get(), pullMs / 1000.0, pulled.pages, lastPageMs, pulled.events, pulled.events - pulled.distinct));
            assertEquals(n, pulled.distinct, "every queued event stored once");
            assertEquals(pulled.events, pulled.distinct, "no duplicates");
            assertTrue(peak.get() / 1024 < 700, "daemon RSS stays bounded: peak " + peak.get() / 1024 + " MB");
        }
    }

    /** Inserts {@code n} copies of the queued template event, each with its own id, clock and marker, as a Python-style writer. */
    private static void fill(Path db, int n) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 30000");
            String template;
            try (var r = s.executeQuery("SELECT data FROM queue LIMIT 1")) {
                r.next();
                template = r.getString(1);
            }
            s.execute("DELETE FROM queue"); // only a model for the copies
            c.setAutoCommit(false);
            long now = Instant.now().getEpochSecond();
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO queue (event_id, event_type, data, timestamp, retry_count) VALUES (?, 'HistoryAdded', ?, ?, 0)")) {
                for (int i = 0; i < n; i++) {
                    String id = String.format("01KAT2%020d", i);
                    insert.setString(1, id);
                    insert.setString(2, template.replaceFirst("\"event_id\":\"[0-9A-Z]{26}\"", "\"event_id\":\"" + id + "\"")
                            .replaceFirst("\"lamport_clock\":\\d+", "\"lamport_clock\":" + (10 + i))
                            .replace("s-template", "s-" + i));
                    insert.setLong(3, now);
                    insert.addBatch();
                    if (i % 10_000 == 9_999) {
                        insert.executeBatch();
                        c.commit();
                    }
                }
                insert.executeBatch();
            }
            c.commit();
        }
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone or not Linux: no sample
        }
        return 0;
    }

    private record Pulled(long events, long distinct, long pages, long lastCursor) {
    }

    private static String access(HttpClient http, URI server) throws Exception {
        HttpResponse<byte[]> login = http.send(HttpRequest.newBuilder(server.resolve(Api.TOKEN))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.writeBytes(new TokenRequest(Rig.USER, Rig.PASSWORD)))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return Json.tree(login.body()).path("access").asText();
    }

    /** The whole history page by page, keeping only ids: a million events need not fit in the test's heap as trees. */
    private static Pulled pullAll(URI server) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String access = access(http, server);
        Set<String> ids = new HashSet<>();
        long events = 0;
        long pages = 0;
        String cursor = "0";
        while (true) {
            HttpResponse<byte[]> page = http.send(HttpRequest.newBuilder(server.resolve(Api.EVENTS + "?after=" + cursor + "&limit=1000"))
                    .header("Authorization", "Bearer " + access).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, page.statusCode(), "pull after " + cursor);
            JsonNode body = Json.tree(page.body());
            pages++;
            for (JsonNode e : body.path("events")) {
                events++;
                ids.add(e.path("event_id").asText());
            }
            cursor = body.path("next_cursor").asText();
            if (!body.path("has_more").asBoolean()) {
                return new Pulled(events, ids.size(), pages, Long.parseLong(cursor));
            }
        }
    }

    private static long timeOnePage(URI server, long after) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String access = access(http, server);
        long t = System.nanoTime();
        HttpResponse<byte[]> page = http.send(HttpRequest.newBuilder(server.resolve(Api.EVENTS + "?after=" + Math.max(0, after) + "&limit=1000"))
                .header("Authorization", "Bearer " + access).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, page.statusCode());
        return (System.nanoTime() - t) / 1_000_000;
    }
}
