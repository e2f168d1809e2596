package dev.speckitty.e2e.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.testing.Await;
import dev.speckitty.e2e.support.ServerProcess;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.testing.RawHttp;
import dev.speckitty.protocol.testing.RawWebSocket;
import dev.speckitty.protocol.wire.Api;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The team server as an attacker meets it: the real {@code bin/spec-kitty-server} process (a 256 MiB
 * heap and 256 MiB of direct memory), raw sockets on loopback, each class of attack of issue 15 in
 * turn. Each case asserts the answer or close code it gets; all along, a well-behaved teammate on
 * another loopback address must be served within {@link #SERVED_WITHIN_MS}, the server's resident
 * memory must stay under {@link #RSS_BOUND_MB}, and at the end the attacked team's stored events must
 * be exactly those it had (count and ids). Bounded in count and time by {@link HostileProfile}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class HostileClientTest {
    /** The server JVM's flags: memory a small team server might get. */
    static final String SERVER_OPTS = "-Xmx256m -XX:MaxDirectMemorySize=256m";
    /** Peak resident memory allowed through the memory cases: heap and direct caps plus the JVM's own (code, metaspace, threads). */
    static final long RSS_BOUND_MB = 700;
    /**
     * How much an unread pipelined attack may raise resident memory: one held answer is 1.2 MB, so this
     * leaves room only for the heap's own growth (the unbounded server grew 280 MB in 5 s, stopped only
     * by the direct-memory cap).
     */
    static final long GROWTH_BOUND_MB = 150;
    /** The slowest answer the well-behaved client may get while the attacks run; a liveness bound, not a speed target. */
    static final long SERVED_WITHIN_MS = 10_000;
    static final Pattern TYPE_NAMES = Pattern.compile("[A-Za-z]+(Exception|Error)\\b|java\\.|io\\.netty|\\bat [a-z]+\\.");
    static final String PW = "a long passphrase";
    /** Where the attacks come from (the well-behaved client uses {@link WellBehavedClient#ADDRESS}). */
    static final String ATTACKER = "127.0.0.1";

    HostileProfile profile = HostileProfile.current();
    Path dist = Path.of(System.getProperty("spec-kitty.dist", "../packaging/target/spec-kitty")).toAbsolutePath().normalize();
    Path data;
    ServerProcess server;
    ServerMemory memory;
    WellBehavedClient teammate;
    int port;
    Calls.Tokens ada;
    Calls.Tokens mallory;
    List<String> teamABefore;
    final List<RawHttp.Response> answers = Collections.synchronizedList(new ArrayList<>());
    final Map<String, String> outcomes = Collections.synchronizedMap(new LinkedHashMap<>());

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        data = Files.createDirectories(dir.resolve("data"));
        // The real `user add`, seven at once (SQLite queues the writers): the suite needs nothing of the server's classes.
        ExecutorService adds = Executors.newFixedThreadPool(7);
        try {
            List<Future<?>> added = new ArrayList<>();
            for (String[] u : List.of(new String[] {"ada", "team-a"}, new String[] {"mallory", "team-a"}, new String[] {"eve", "team-a"},
                    new String[] {"carol", "team-a"}, new String[] {"bob", "team-b"}, new String[] {"trudy", "team-c"},
                    new String[] {"carl", "team-c"})) {
                added.add(adds.submit(() -> {
                    ServerProcess.addUser(dist, data, u[0], u[1], PW);
                    return null;
                }));
            }
            for (Future<?> f : added) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            adds.shutdownNow();
        }
        server = ServerProcess.start(dist, data, "127.0.0.1:0", Map.of("SPEC_KITTY_SERVER_OPTS", SERVER_OPTS));
        port = server.port();
        memory = new ServerMemory(server.pid());
        ada = Calls.login(port, "127.0.0.9", "ada", PW);
        mallory = Calls.login(port, "127.0.0.9", "mallory", PW);
        try (RawHttp c = Calls.connect(port, "127.0.0.9")) {
            for (int i = 0; i < 2; i++) { // 2,000 events of about 1.2 KB: a full pull page is about 1.2 MB
                assertEquals(200, c.send(Calls.batchRequest(ada.access(), Calls.batchBody(Calls.events("team-a", 1000, 800)))).expect().status());
            }
        }
        teamABefore = Calls.allIds(port, "127.0.0.9", ada.access());
        assertEquals(2000, teamABefore.size());
        teammate = new WellBehavedClient(port, "team-b", Calls.login(port, WellBehavedClient.ADDRESS, "bob", PW)).start();
        memory.mark();
    }

    @AfterAll
    void stop() throws Exception {
        if (teammate != null) {
            teammate.stop();
        }
        if (memory != null) {
            memory.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private RawHttp attacker() {
        return Calls.connect(port, ATTACKER);
    }

    private RawHttp.Response keep(RawHttp.Response r) {
        answers.add(r);
        return r;
    }

    /** Records a case's outcome with the peak RSS it caused, and checks the bound. */
    private void done(String name, String outcome) {
        long peak = memory.mark();
        outcomes.put(name, outcome + " rss_peak=" + peak + "MB");
        System.out.println("[hostile " + profile.name() + "] " + name + ": " + outcome + " rss_peak=" + peak + "MB");
        assertTrue(server.isAlive(), "the server is still running after " + name);
        assertTrue(peak <= RSS_BOUND_MB, name + ": server RSS peaked at " + peak + " MB (bound " + RSS_BOUND_MB + " MB)");
    }

    @Test
    @Order(1)
    void undecodablePathsAndQueriesLeakNothing() {
        byte[] body = new byte[4 << 20];
        int notFound = 0;
        try (RawHttp c = attacker()) {
            for (int i = 0; i < profile.leakRequests(); i++) {
                RawHttp.Response r = keep(c.send(RawHttp.request("POST", "/api/v1/%ZZ", body)).expect());
                assertEquals(404, r.status(), r.toString());
                notFound++;
            }
            RawHttp.Response q = keep(c.send(RawHttp.request("GET", Api.EVENTS + "?after=%ZZ", new byte[0])).expect());
            assertEquals(400, q.status(), q.toString());
        }
        done("undecodable_path", notFound + "x POST /api/v1/%ZZ (4 MiB body)=404, ?after=%ZZ=400");
    }

    @Test
    @Order(2)
    void pipelinedPullsThatAreNeverReadHoldOneAnswer() throws Exception {
        ByteArrayOutputStream pulls = new ByteArrayOutputStream();
        for (int i = 0; i < profile.pipelinedPulls(); i++) {
            pulls.writeBytes(Calls.pullRequest(mallory.access(), "0", 1000));
        }
        List<RawHttp> stalled = new ArrayList<>();
        long before = memory.currentMb();
        try {
            for (int s = 0; s < profile.stalledPullSockets(); s++) {
                RawHttp c = RawHttp.connect("127.0.0.1", port, Calls.address(ATTACKER), 4096);
                stalled.add(c);
                // Its own thread: the server reads one request at a time, so the writes block once the buffers are full.
                Thread writer = new Thread(() -> c.trySend(pulls.toByteArray()), "pipelining-writer");
                writer.setDaemon(true);
                writer.start();
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(profile.holdSeconds());
            while (System.nanoTime() < until) {
                assertTrue(memory.currentMb() <= RSS_BOUND_MB, "RSS " + memory.currentMb() + " MB while pulls go unread");
                Thread.sleep(100); // holding the attack open for a fixed time is the test; nothing is awaited here
            }
            long grown = memory.peakSinceMarkMb() - before;
            assertTrue(grown <= GROWTH_BOUND_MB, "RSS grew " + grown + " MB while the pulls went unread: more than one answer held");
            RawHttp.Response first = stalled.get(0).readTimeout(30_000).expect();
            assertEquals(200, first.status());
            assertEquals(1000, Json.tree(first.body()).get("events").size(), "the first answer, complete");
        } finally {
            stalled.forEach(RawHttp::close);
        }
        done("pipelined_unread", profile.stalledPullSockets() + " socket(s) x " + profile.pipelinedPulls()
                + " pipelined 1.2 MB pulls, never read for " + profile.holdSeconds() + " s: one answer held (RSS +"
                + Math.max(0, memory.peakSinceMarkMb() - before) + " MB at most), then 200");
    }

    @Test
    @Order(3)
    void pipelinedAnswersComeInRequestOrderAndCloseIsHonoured() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int limit = 1; limit <= 20; limit++) {
            all.writeBytes(limit == 11 ? Calls.pullRequest(mallory.access(), "0", limit, "Connection: close")
                    : Calls.pullRequest(mallory.access(), "0", limit));
        }
        List<Integer> sizes = new ArrayList<>();
        try (RawHttp c = attacker()) {
            c.send(all.toByteArray());
            for (Optional<RawHttp.Response> r = c.read(); r.isPresent(); r = c.read()) {
                sizes.add(Json.tree(keep(r.get()).body()).get("events").size());
            }
        }
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), sizes, "in order, none dropped, closed after the 11th");
        done("pipelined_order", "20 pipelined pulls, close on the 11th: answers " + sizes);
    }

    @Test
    @Order(4)
    void membersThatNeverReadAreCutOffWhileTheTeamIsServed() throws Exception {
        Calls.Tokens trudy = Calls.login(port, "127.0.0.3", "trudy", PW);
        Calls.Tokens carl = Calls.login(port, "127.0.0.3", "carl", PW);
        List<RawWebSocket> stalled = new ArrayList<>();
        RawWebSocket reader = RawWebSocket.open("127.0.0.1", port, Api.WEBSOCKET, wsToken(carl), Calls.address("127.0.0.3"), 0);
        try {
            for (int i = 0; i < profile.stalledSessions(); i++) {
                stalled.add(RawWebSocket.open("127.0.0.1", port, Api.WEBSOCKET, wsToken(trudy), Calls.address(ATTACKER), 4096));
            }
            reader.readTextContaining("hello");
            reader.http().readTimeout(60_000);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            int total = profile.fanOutBatches() * 10;
            Future<Integer> received = pool.submit(() -> {
                int n = 0;
                while (n < total) {
                    if (reader.readTextContaining("\"type\":\"event\"") != null) {
                        n++;
                    }
                }
                return n;
            });
            try (RawHttp c = Calls.connect(port, "127.0.0.3")) {
                for (int b = 0; b < profile.fanOutBatches(); b++) { // 10 events of 200 KiB: a 2 MiB batch, as a client sends
                    RawHttp.Response r = c.send(Calls.batchRequest(carl.access(), Calls.batchBody(Calls.events("team-c", 10, 200 * 1024))))
                            .expect();
                    assertEquals(200, r.status(), r.toString());
                }
            }
            try {
                assertEquals(total, received.get(120, TimeUnit.SECONDS), "the reading member got every event");
            } finally {
                pool.shutdownNow();
            }
            long fanOut = (long) total * 200 * 1024;
            for (RawWebSocket s : stalled) {
                long read = s.http().drainUntilClosed(60_000);
                assertTrue(read >= 0, "a stalled member is closed");
                assertTrue(read < fanOut / 2, "cut off at its bound, its backlog dropped: it read " + read + " of " + fanOut + " bytes");
            }
            RawHttp.Response page;
            try (RawHttp c = Calls.connect(port, "127.0.0.3")) {
                page = keep(c.send(Calls.pullRequest(carl.access(), "0", 1000)).expect());
            }
            JsonNode pulled = Json.tree(page.body());
            assertTrue(pulled.get("has_more").asBoolean() && page.body().length <= Api.MAX_PULL_PAGE_BYTES + 64 * 1024,
                    "a page is bounded in bytes: " + page.body().length + " bytes, " + pulled.get("events").size() + " events");
            done("ws_unread_fanout", stalled.size() + " stalled sessions cut off (close, no frame) during " + (fanOut >> 20)
                    + " MiB of fan-out; the reading member got all " + total + "; pull page " + page.body().length + " bytes");
        } finally {
            stalled.forEach(RawWebSocket::close);
            reader.close();
        }
    }

    private String wsToken(Calls.Tokens t) {
        try (RawHttp c = Calls.connect(port, "127.0.0.3")) {
            RawHttp.Response r = c.send(RawHttp.request("POST", Api.WS_TOKEN, new byte[0], "Authorization: Bearer " + t.access())).expect();
            assertEquals(200, r.status(), r.toString());
            return Json.tree(r.body()).get("ws_token").asText();
        }
    }

    @Test
    @Order(5)
    void echoedFramesAreClippedAndUnreadRepliesDoNotPileUp() {
        Calls.Tokens trudy = Calls.login(port, "127.0.0.3", "trudy", PW);
        String longType = "{\"type\":\"" + "t".repeat(60_000) + "\"}";
        try (RawWebSocket ws = RawWebSocket.open("127.0.0.1", port, Api.WEBSOCKET, wsToken(trudy), Calls.address(ATTACKER), 4096)) {
            ws.readTextContaining("hello");
            int sent = 0;
            while (sent < profile.echoFrames() && ws.trySendText(longType)) {
                sent++;
            }
            assertTrue(memory.currentMb() <= RSS_BOUND_MB);
            RawWebSocket.Frame reply = ws.readTextContaining("\"error\"");
            assertTrue(reply.payload().length < 300, "clipped: " + reply.payload().length + " bytes");
            done("ws_echo", sent + " frames with a 60 KB type, unread: each error reply " + reply.payload().length + " bytes");
        }
    }

    @Test
    @Order(6)
    void aMemberThatStopsReadingIsClosedAtThePongDeadlineWithoutItsBacklog() throws InterruptedException {
        Assumptions.assumeTrue(profile.isLong(), "the pong deadline is 45 s of real time: long profile only");
        Calls.Tokens trudy = Calls.login(port, "127.0.0.3", "trudy", PW);
        Calls.Tokens carl = Calls.login(port, "127.0.0.3", "carl", PW);
        try (RawWebSocket silent = RawWebSocket.open("127.0.0.1", port, Api.WEBSOCKET, wsToken(trudy), Calls.address(ATTACKER), 4096);
                RawHttp c = Calls.connect(port, "127.0.0.3")) {
            long start = System.nanoTime();
            int batches = 7; // 14 MiB: more than the kernel buffers hold (about 8 MB here), less than them plus the backlog bound
            for (int b = 0; b < batches; b++) {
                assertEquals(200, c.send(Calls.batchRequest(carl.access(), Calls.batchBody(Calls.events("team-c", 10, 200 * 1024))))
                        .expect().status());
            }
            long sent = batches * 10L * 200 * 1024;
            // Not reading is the attack: hold it past the 45 s deadline, then see what is left to read.
            long until = start + TimeUnit.SECONDS.toNanos(55);
            while (System.nanoTime() < until) {
                assertTrue(memory.currentMb() <= RSS_BOUND_MB, "RSS " + memory.currentMb() + " MB while the member does not read");
                Thread.sleep(200); // a fixed hold, as above: nothing is awaited here
            }
            long read = silent.http().drainUntilClosed(60_000);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertTrue(read >= 0 && read < sent - (2 << 20), "closed after " + seconds + " s, having read " + read + " of " + sent + " bytes");
            done("ws_pong_deadline", "a silent member closed at once after " + seconds + " s: " + read + " of " + sent
                    + " bytes delivered, the rest dropped");
        }
    }

    @Test
    @Order(7)
    void removedAndRevokedUsersLoseTheirOpenSessions() throws Exception {
        Calls.Tokens eve = Calls.login(port, "127.0.0.4", "eve", PW);
        Calls.Tokens carol = Calls.login(port, "127.0.0.4", "carol", PW);
        try (RawWebSocket eveWs = RawWebSocket.open("127.0.0.1", port, Api.WEBSOCKET, wsToken(eve), Calls.address(ATTACKER), 0);
                RawWebSocket carolWs = RawWebSocket.open("127.0.0.1", port, Api.WEBSOCKET, wsToken(carol), Calls.address(ATTACKER), 0)) {
            eveWs.readTextContaining("hello");
            carolWs.readTextContaining("hello");
            long start = System.nanoTime();
            userCommand("remove", "eve");
            eveWs.trySendText(Json.write(Json.object().put("type", "event").setAll(Calls.event("team-a", 10))));
            assertEquals(1008, eveWs.readUntilClose());
            long removedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            start = System.nanoTime();
            userCommand("revoke", "carol");
            assertEquals(1008, carolWs.readUntilClose());
            long revokedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            try (RawHttp c = Calls.connect(port, "127.0.0.4")) {
                assertEquals(401, keep(c.send(Calls.pullRequest(carol.access(), "0", 1)).expect()).status(), "revoked tokens are refused");
            }
            assertTrue(removedMs < 15_000 && revokedMs < 15_000, "within the audit period plus the command: " + removedMs + ", " + revokedMs);
            done("revocation", "user remove: session closed 1008 after " + removedMs + " ms (command included), event sent after it "
                    + "not stored; user revoke: 1008 after " + revokedMs + " ms, tokens 401");
        }
    }

    private void userCommand(String command, String user) throws Exception {
        Process p = new ProcessBuilder(dist.resolve("bin/spec-kitty-server").toString(), "user", command, "--data", data.toString(),
                "--username", user).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "user " + command + " finished");
        assertEquals(0, p.exitValue(), out);
    }

    @Test
    @Order(8)
    void idleSocketsFromOneAddressCannotLockOthersOut() throws Exception {
        int refused = 0;
        int closed = 0;
        for (int round = 0; round < profile.idleSocketRounds(); round++) {
            List<RawHttp> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 64 + 16; i++) {
                    idle.add(RawHttp.connect("127.0.0.1", port, Calls.address("127.0.0.5"), 0));
                }
                // Which 16 are refused depends on which event loop counted them first: the ones that got an answer.
                Await.until(Duration.ofSeconds(10), "16 refusals", () -> idle.stream().filter(HostileClientTest::hasBytes).count() == 16);
                List<RawHttp> held = new ArrayList<>();
                for (RawHttp s : idle) {
                    if (hasBytes(s)) {
                        RawHttp.Response r = keep(s.expect());
                        assertEquals(503, r.status(), r.toString());
                        assertEquals("5", r.header("retry-after").orElse(""));
                        refused++;
                    } else {
                        held.add(s);
                    }
                }
                try (RawHttp other = Calls.connect(port, "127.0.0.6")) {
                    assertEquals(401, keep(other.send(Calls.pullRequest("x", "0", 1)).expect()).status(), "another address is served");
                }
                for (RawHttp s : held) {
                    assertTrue(s.drainUntilClosed(20_000) >= 0, "an idle socket is closed after the first-request timeout");
                    closed++;
                }
            } finally {
                idle.forEach(RawHttp::close);
            }
        }
        done("connection_caps", closed + " idle sockets closed after the first-request timeout, " + refused
                + " over the per-address cap refused 503 Retry-After 5, another address served");
    }

    private static boolean hasBytes(RawHttp s) {
        try {
            return s.socket().getInputStream().available() > 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    @Order(9)
    void loginFloodsAreThrottledAndTheTeammateIsStillServed() throws Exception {
        int unauthorized = 0;
        int throttled = 0;
        try (RawHttp c = Calls.connect(port, "127.0.0.7")) {
            for (int i = 0; i < profile.wrongLogins(); i++) {
                RawHttp.Response r = keep(Calls.login(c, "ada", "guess-" + i));
                if (r.status() == 429) {
                    assertTrue(r.header("retry-after").isPresent(), r.toString());
                    throttled++;
                } else {
                    assertEquals(401, r.status(), r.toString());
                    unauthorized++;
                }
            }
        }
        assertTrue(unauthorized <= 30, "guesses checked: " + unauthorized);
        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<Future<Integer>> statuses = new ArrayList<>();
        try {
            for (int i = 0; i < profile.concurrentLogins(); i++) {
                int n = i;
                statuses.add(pool.submit(() -> {
                    try (RawHttp c = Calls.connect(port, "127.0.0.8")) {
                        return keep(Calls.login(c, "nobody" + n, "x")).status();
                    }
                }));
            }
            Calls.Tokens bob = Calls.login(port, WellBehavedClient.ADDRESS, "bob", PW); // a real login during the flood
            assertTrue(bob.access().length() > 20);
            int flood429 = 0;
            for (Future<Integer> f : statuses) {
                int s = f.get(120, TimeUnit.SECONDS);
                assertTrue(s == 401 || s == 429 || s == 503, "status " + s);
                flood429 += s == 401 ? 0 : 1;
            }
            done("login_flood", profile.wrongLogins() + " wrong passwords for one user: " + unauthorized + " checked, " + throttled
                    + " 429; " + profile.concurrentLogins() + " concurrent from one address: " + flood429
                    + " refused before hashing; a real login meanwhile: 200");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(10)
    void aRefreshTokenMintsOneSuccessor() throws Exception {
        Calls.Tokens login = Calls.login(port, "127.0.0.9", "mallory", PW);
        Calls.Tokens successor;
        try (RawHttp c = Calls.connect(port, "127.0.0.9")) {
            successor = Calls.tokens(keep(Calls.refresh(c, login.refresh())));
            for (int i = 0; i < 10; i++) {
                assertEquals(successor, Calls.tokens(keep(Calls.refresh(c, login.refresh()))), "a reuse within the grace: the same pair");
            }
        }
        String outcome = "11 refreshes with one token: 1 successor";
        if (profile.isLong()) {
            Thread.sleep(61_000); // the grace period is real time on a real server
            try (RawHttp c = Calls.connect(port, "127.0.0.9")) {
                RawHttp.Response late = keep(Calls.refresh(c, login.refresh()));
                assertEquals(401, late.status(), late.toString());
                assertEquals(401, keep(c.send(Calls.pullRequest(successor.access(), "0", 1)).expect()).status(), "the family is revoked");
            }
            outcome += "; reused after 61 s: 401 and the family revoked";
        }
        done("refresh_replay", outcome);
    }

    @Test
    @Order(11)
    void eventsPastABoundAreRejectedOneByOne() {
        List<JsonNode> bad = new ArrayList<>();
        ObjectNode clock = Calls.event("team-a", 10);
        clock.put("lamport_clock", (1L << 53) - 1);
        bad.add(clock);
        bad.add(Calls.event("team-a", 300 * 1024));
        ObjectNode deep = Calls.event("team-a", 10);
        ((ObjectNode) deep.get("payload")).set("policy_metadata", Json.tree("[".repeat(995) + "]".repeat(995)));
        bad.add(deep);
        ObjectNode nul = Calls.event("team-a", 10);
        ((ObjectNode) nul.get("payload")).put("actor", "a\u0000b");
        bad.add(nul);
        ObjectNode year = Calls.event("team-a", 10);
        year.put("timestamp", "0001-01-01T00:00:00Z");
        bad.add(year);
        ObjectNode unknownOffset = Calls.event("team-a", 10);
        unknownOffset.put("timestamp", "2026-11-24T10:00:00-00:00");
        bad.add(unknownOffset);
        bad.add(Calls.event("team-b", 10));
        ObjectNode surrogate = Calls.event("team-a", 1);
        ((ObjectNode) surrogate.get("payload")).put("actor", "LONE-SURROGATE");
        bad.add(surrogate);
        String json = Json.write(Map.of("events", bad)).replace("LONE-SURROGATE", "a\\ud800b");
        RawHttp.Response r;
        try (RawHttp c = attacker()) {
            r = keep(c.send(Calls.batchRequest(mallory.access(), Calls.gzip(json.getBytes(StandardCharsets.UTF_8)))).expect());
            assertEquals(200, r.status(), r.toString());
            ObjectNode overlong = Calls.event("team-a", 1);
            ((ObjectNode) overlong.get("payload")).put("actor", "OVERLONG");
            // The JSON is ASCII, so ISO-8859-1 maps chars to bytes one to one: C0 AF is the overlong form of '/'.
            String text = Json.write(Map.of("events", List.of(overlong))).replace("OVERLONG", "a\u00c0\u00afb");
            RawHttp.Response o = keep(c.send(Calls.batchRequest(mallory.access(), Calls.gzip(text.getBytes(StandardCharsets.ISO_8859_1))))
                    .expect());
            assertTrue(o.text().contains("rejected") && o.text().contains("not valid Unicode"), o.toString());
        }
        List<String> reasons = new ArrayList<>();
        for (JsonNode result : Json.tree(r.body()).get("results")) {
            assertEquals("rejected", result.get("status").asText(), result.toString());
            reasons.add(result.get("error_message").asText().replaceAll("^([a-z_.]+: [^(]{0,40}).*", "$1").trim());
        }
        assertEquals(bad.size(), reasons.size());
        done("event_bounds", "each rejected: " + reasons + "; overlong UTF-8 rejected");
    }

    @Test
    @Order(12)
    void lenientHttpIsRefusedAndNothingIsSmuggled() {
        List<String> raws = List.of(
                "POST " + Api.TOKEN + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n"
                        + "5\r\nhello\r\n0\r\n\r\nGET " + Api.EVENTS + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + mallory.access() + "\r\n\r\n",
                "POST " + Api.TOKEN + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\nContent-Length: 2\r\n\r\n{}",
                "POST " + Api.TOKEN + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n0\r\n\r\n",
                "GET " + Api.EVENTS + " HTTP/9.9\r\nHost: x\r\n\r\n",
                "GET " + Api.EVENTS + " HTTP/1.1\r\n\r\n");
        for (String raw : raws) {
            try (RawHttp c = attacker()) {
                RawHttp.Response r = keep(c.send(raw).expect());
                assertEquals(400, r.status(), r.toString());
                assertTrue(c.read().isEmpty(), "closed after the 400, nothing after it answered");
            }
        }
        done("lenient_http", raws.size() + " heads (two Transfer-Encodings with a smuggled request, xchunked, CL+TE, HTTP/9.9, "
                + "no Host): 400 and close, the smuggled request never ran");
    }

    @Test
    @Order(13)
    void theAccessLogCannotBeForged() throws Exception {
        try (RawHttp c = attacker()) {
            assertEquals(404, keep(c.send(RawHttp.request("GET", "/api/v1/%0aFORGED%20200%00x", new byte[0])).expect()).status());
        }
        Path log = ServerProcess.logOf(data);
        Await.until(Duration.ofSeconds(10), "the access log line",
                () -> readLog(log).contains("/api/v1/%0aFORGED%20200%00x 404"));
        String text = readLog(log);
        assertFalse(text.contains("\u0000"), "no NUL in the log");
        assertFalse(Pattern.compile("(?m)^FORGED").matcher(text).find(), "no forged line");
        done("log_injection", "%0a and %00 in the path logged as sent, on one line: /api/v1/%0aFORGED%20200%00x");
    }

    private static String readLog(Path log) {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    @Order(14)
    void answersNameNoJavaTypeAndClipWhatTheyEcho() {
        try (RawHttp c = attacker()) {
            RawHttp.Response limit = keep(c.send(RawHttp.request("GET", Api.EVENTS + "?limit=" + "9".repeat(3000), new byte[0],
                    "Authorization: Bearer " + mallory.access())).expect());
            assertEquals(400, limit.status());
            assertTrue(limit.body().length < 400, "clipped: " + limit);
        }
        List<String> offenders = new ArrayList<>();
        synchronized (answers) {
            for (RawHttp.Response a : answers) {
                if (a.status() >= 400 && TYPE_NAMES.matcher(a.text()).find()) {
                    offenders.add(a.toString());
                }
            }
        }
        assertEquals(List.of(), offenders, "answers naming Java types");
        done("error_texts", answers.size() + " answers checked: no Java type names; echoed input clipped");
    }

    @Test
    @Order(99)
    void theAttackedTeamIsUnchangedAndTheTeammateWasServedThroughout() throws Exception {
        teammate.stop();
        Calls.Tokens fresh;
        try (RawHttp c = Calls.connect(port, "127.0.0.9")) {
            fresh = Calls.tokens(Calls.refresh(c, ada.refresh()));
        }
        List<String> after = Calls.allIds(port, "127.0.0.9", fresh.access());
        assertEquals(teamABefore.size(), after.size(), "team-a's event count");
        assertEquals(teamABefore, after, "team-a's event ids, in order");
        Calls.Tokens bob = Calls.login(port, "127.0.0.10", "bob", PW);
        List<String> stored = Calls.allIds(port, "127.0.0.10", bob.access());
        assertEquals(teammate.stored(), stored, "every event the teammate stored, once, in order");
        assertEquals(List.of(), teammate.failures(), "the teammate's failures");
        assertTrue(teammate.maxMillis() <= SERVED_WITHIN_MS, "slowest answer to the teammate: " + teammate.maxMillis() + " ms");
        assertTrue(memory.peakMb() <= RSS_BOUND_MB, "server RSS peak " + memory.peakMb() + " MB");
        String summary = "team-a " + after.size() + " events before and after (ids equal); teammate " + teammate.requests()
                + " requests, " + stored.size() + " events stored, slowest " + teammate.maxMillis() + " ms, 0 failures; RSS peak "
                + memory.peakMb() + " MB (bound " + RSS_BOUND_MB + " MB, " + SERVER_OPTS + ")";
        System.out.println("[hostile " + profile.name() + "] summary: " + summary);
        outcomes.forEach((k, v) -> System.out.println("[hostile " + profile.name() + "]   " + k + ": " + v));
    }
}
