package dev.speckitty.daemon.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.control.ControlApi;
import dev.speckitty.protocol.control.DaemonInfo;
import dev.speckitty.protocol.control.DryRunReport;
import dev.speckitty.protocol.control.EnqueueResponse;
import dev.speckitty.protocol.control.StatusResponse;
import dev.speckitty.protocol.control.SyncRequest;
import dev.speckitty.protocol.control.SyncSummary;
import dev.speckitty.protocol.control.SyncUpdate;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.wire.ErrorResponse;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ControlServerTest {
    static final String VERSION = "9.9.9-test";
    static final String EVENT = "{\"event_id\":\"01KAT0V6J8Q5R9S1T2V3W4X5Y6\",\"event_type\":\"WPStatusChanged\"}";

    @TempDir
    Path dir;
    Path socket;
    ExecutorService blocking;
    TestControlService service;
    ControlServer server;

    @BeforeEach
    void start() {
        socket = dir.resolve("run/daemon.sock");
        AtomicInteger n = new AtomicInteger();
        ThreadFactory named = r -> new Thread(r, "blocking-" + n.incrementAndGet());
        blocking = Executors.newFixedThreadPool(4, named);
        service = new TestControlService();
        server = ControlServer.start(socket, service, blocking, VERSION);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        blocking.shutdownNow();
        assertTrue(blocking.awaitTermination(10, TimeUnit.SECONDS));
    }

    /** {@code GET path} on a fresh connection, answered 200 with JSON and the daemon's version. */
    private UnixHttp.Response getJson(String path) throws Exception {
        try (UnixHttp http = UnixHttp.connect(socket)) {
            UnixHttp.Response r = http.exchange("GET", path, null);
            assertEquals(200, r.status());
            assertEquals(VERSION, r.header(ControlApi.VERSION_HEADER));
            assertEquals("application/json", r.header("content-type"));
            return r;
        }
    }

    @Test
    void statusAnswersJsonWithTheVersionFromTheBlockingExecutor() throws Exception {
        UnixHttp.Response r = getJson(ControlApi.STATUS);
        assertEquals(service.status(), Json.read(r.body(), StatusResponse.class));
        assertTrue(service.threads.get(0).startsWith("blocking-"), service.threads.toString());
    }

    @Test
    void theDaemonPathTellsWhichDaemonRunsWithoutItsStatus() throws Exception {
        UnixHttp.Response r = getJson(ControlApi.DAEMON);
        assertEquals(service.daemonInfo(), Json.read(r.body(), DaemonInfo.class));
        assertTrue(Json.tree(r.body()).path("queue").isMissingNode(), "none of the status's counts: " + r.body());
    }

    @Test
    void enqueueAnswersTheQueuedIds() throws Exception {
        try (UnixHttp http = UnixHttp.connect(socket)) {
            UnixHttp.Response r = http.exchange("POST", ControlApi.EVENTS, "{\"events\":[" + EVENT + "],\"cwd\":\"/tmp\"}");
            assertEquals(200, r.status());
            assertEquals(new EnqueueResponse(1, List.of("01KAT0V6J8Q5R9S1T2V3W4X5Y6"), 4), Json.read(r.body(), EnqueueResponse.class));
        }
    }

    @Test
    void eachErrorHasItsStatusAndAnErrorResponse() throws Exception {
        try (UnixHttp http = UnixHttp.connect(socket)) {
            UnixHttp.Response invalid = http.exchange("POST", ControlApi.EVENTS, events("bad"));
            assertEquals(400, invalid.status());
            ErrorResponse e = Json.read(invalid.body(), ErrorResponse.class);
            assertTrue(e.error().startsWith("invalid event; nothing was queued: payload.to_lane"), e.error());
            assertEquals(List.of("payload.to_lane: must be one of planned, done", "aggregate_id: is required"),
                    e.details().stream().map(d -> d.reason()).toList());
            assertNull(e.details().get(0).eventId());

            UnixHttp.Response full = http.exchange("POST", ControlApi.EVENTS, events("full"));
            assertEquals(507, full.status());
            assertTrue(error(full).contains("nothing was queued"), error(full));

            UnixHttp.Response boom = http.exchange("POST", ControlApi.EVENTS, events("boom"));
            assertEquals(500, boom.status());
            assertEquals("internal error: disk on fire; see `spec-kitty daemon logs`", error(boom));

            UnixHttp.Response arg = http.exchange("POST", ControlApi.EVENTS, events("arg"));
            assertEquals(400, arg.status());
            assertEquals("cwd: /nope (expected: an existing directory)", error(arg));

            UnixHttp.Response malformed = http.exchange("POST", ControlApi.EVENTS, "{\"events\": [");
            assertEquals(400, malformed.status());
            assertTrue(error(malformed).startsWith("malformed request body for POST /v1/events"), error(malformed));

            UnixHttp.Response empty = http.exchange("POST", ControlApi.EVENTS, "");
            assertEquals(400, empty.status());
            assertTrue(error(empty).contains("needs a JSON body"), error(empty));
            assertEquals(VERSION, empty.header(ControlApi.VERSION_HEADER));
        }
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405() throws Exception {
        try (UnixHttp http = UnixHttp.connect(socket)) {
            UnixHttp.Response missing = http.exchange("GET", "/v2/status", null);
            assertEquals(404, missing.status());
            assertEquals(VERSION, missing.header(ControlApi.VERSION_HEADER));
            assertTrue(error(missing).startsWith("no such control API path: /v2/status"), error(missing));

            UnixHttp.Response wrong = http.exchange("POST", ControlApi.STATUS, "{}");
            assertEquals(405, wrong.status());
            assertEquals("GET", wrong.header("allow"));
            assertEquals(VERSION, wrong.header(ControlApi.VERSION_HEADER));

            assertEquals(200, http.exchange("GET", ControlApi.STATUS + "?verbose=1", null).status());
        }
    }

    @Test
    void syncStreamsOneFlushedLinePerUpdateThenTheSummary() throws Exception {
        service.step = new Semaphore(0);
        try (UnixHttp http = UnixHttp.connect(socket)) {
            http.sendRaw(UnixHttp.request("POST", ControlApi.SYNC, "{\"verbose\":true,\"dry_run\":false}"));
            UnixHttp.Head head = http.readHead();
            assertEquals(200, head.status());
            assertTrue(head.chunked());
            assertEquals(ControlApi.NDJSON, head.header("content-type"));
            assertEquals(VERSION, head.header(ControlApi.VERSION_HEADER));
            // Each line arrives while the sync is still blocked before its next step.
            assertEquals(Json.write(SyncUpdate.progress("push", 1, 3)) + "\n", http.readChunk());
            service.step.release();
            assertEquals(Json.write(SyncUpdate.progress("push", 3, 3)) + "\n", http.readChunk());
            service.step.release();
            assertEquals(Json.write(SyncUpdate.summary(TestControlService.SUMMARY)) + "\n", http.readChunk());
            assertNull(http.readChunk());
            assertEquals(List.of(new SyncRequest(true, false)), service.syncRequests);
            // Still usable afterwards (keep-alive).
            assertEquals(200, http.exchange("GET", ControlApi.STATUS, null).status());
        }
    }

    @Test
    void syncWithoutABodyUsesDefaultsAndDryRunAnswersAReport() throws Exception {
        try (UnixHttp http = UnixHttp.connect(socket)) {
            UnixHttp.Response r = http.exchange("POST", ControlApi.SYNC, null);
            assertEquals(200, r.status());
            String[] lines = r.body().split("\n");
            assertEquals(3, lines.length);
            assertTrue(Json.read(lines[2], SyncUpdate.class) instanceof SyncUpdate.Summary, lines[2]);
            assertEquals(new SyncRequest(false, false), service.syncRequests.get(0));

            UnixHttp.Response dry = http.exchange("POST", ControlApi.SYNC, "{\"verbose\":false,\"dry_run\":true}");
            assertEquals(200, dry.status());
            assertEquals("application/json", dry.header("content-type"));
            assertEquals(service.dryRun(), Json.read(dry.body(), DryRunReport.class));
            assertEquals(1, service.syncRequests.size());
        }
    }

    @Test
    void aSyncFailingBeforeItsFirstLineIsAnErrorStatusAndAfterItAFailedSummary() throws Exception {
        try (UnixHttp http = UnixHttp.connect(socket)) {
            service.syncFailure = "before";
            UnixHttp.Response before = http.exchange("POST", ControlApi.SYNC, "{}");
            assertEquals(500, before.status());
            assertEquals("internal error: no credentials; see `spec-kitty daemon logs`", error(before));

            service.syncFailure = "after";
            UnixHttp.Response after = http.exchange("POST", ControlApi.SYNC, "{}");
            assertEquals(200, after.status());
            String[] lines = after.body().split("\n");
            assertEquals(2, lines.length);
            SyncUpdate last = Json.read(lines[1], SyncUpdate.class);
            assertTrue(last instanceof SyncUpdate.Summary, last.toString());
            SyncSummary summary = ((SyncUpdate.Summary) last).summary();
            assertFalse(summary.ok());
            assertEquals("internal error: socket closed; see `spec-kitty daemon logs`", summary.error());
        }
    }

    @Test
    void metricsParkedAndShutdown() throws Exception {
        try (UnixHttp http = UnixHttp.connect(socket)) {
            UnixHttp.Response metrics = http.exchange("GET", ControlApi.METRICS, null);
            assertEquals(200, metrics.status());
            assertEquals(ControlRoutes.PROMETHEUS, metrics.header("content-type"));
            assertEquals(service.metrics(), metrics.body());

            UnixHttp.Response parked = http.exchange("GET", ControlApi.PARKED, null);
            assertEquals(Json.write(service.parked()), parked.body());
            assertEquals("{\"count\":2}", http.exchange("POST", ControlApi.PARKED_RETRY, "{\"event_ids\":[\"a\",\"b\"]}").body());
            assertEquals("{\"count\":5}", http.exchange("POST", ControlApi.PARKED_RETRY, "{\"all\":true}").body());
            assertEquals("{\"count\":7}", http.exchange("POST", ControlApi.PARKED_DISCARD, "{\"all\":true}").body());
            assertEquals(400, http.exchange("POST", ControlApi.PARKED_DISCARD, "{}").status());

            UnixHttp.Response bye = http.exchange("POST", ControlApi.SHUTDOWN, null);
            assertEquals(202, bye.status());
            assertEquals("{\"status\":\"shutting down\"}", bye.body());
            assertTrue(service.shutdown.await(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void keepAliveAndPipelinedRequestsAnswerInOrder() throws Exception {
        service.step = new Semaphore(2); // a sync that runs straight through
        try (UnixHttp http = UnixHttp.connect(socket)) {
            assertEquals(200, http.exchange("GET", ControlApi.STATUS, null).status());
            assertEquals(200, http.exchange("GET", ControlApi.METRICS, null).status());
            // Three requests in one write: a slow one first must not be overtaken.
            http.sendRaw(UnixHttp.request("POST", ControlApi.SYNC, "{}")
                    + UnixHttp.request("GET", ControlApi.METRICS, null)
                    + UnixHttp.request("GET", "/nope", null));
            assertTrue(http.read().body().contains("\"summary\""));
            assertEquals(service.metrics(), http.read().body());
            assertEquals(404, http.read().status());
        }
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        try (UnixHttp http = UnixHttp.connect(socket)) {
            UnixHttp.Response r = http.exchange("GET", ControlApi.STATUS, null, "Connection: close");
            assertEquals(200, r.status());
            assertEquals("close", r.header("connection"));
            assertTrue(http.atEof());
        }
    }

    @Test
    void theSocketIsPrivateAndRemovedOnClose() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
        server.close();
        server = null;
        assertFalse(Files.exists(socket));
    }

    @Test
    void aStaleSocketFileIsReplacedAndALiveOneRefused() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ControlServer.start(socket, service, blocking, VERSION));
        assertTrue(e.getMessage().startsWith("another daemon is listening on " + socket), e.getMessage());
        assertTrue(Files.exists(socket)); // the live daemon's socket is untouched
        server.close();
        server = null;

        Path stale = dir.resolve("stale/daemon.sock");
        dev.speckitty.protocol.local.FilePermissions.privateDirectory(stale.getParent()); // as the daemon makes its home
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(stale)); // closing leaves the file behind, like a crash
        }
        assertTrue(Files.exists(stale));
        try (ControlServer again = ControlServer.start(stale, service, blocking, VERSION);
             UnixHttp http = UnixHttp.connect(stale)) {
            assertEquals(200, http.exchange("GET", ControlApi.STATUS, null).status());
        }
    }

    @Test
    void curlTalksToIt() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")) || onPath("curl"), "curl is not installed");
        Process p = new ProcessBuilder("curl", "-sS", "-i", "--max-time", "10", "--unix-socket", socket.toString(),
                "http://localhost" + ControlApi.STATUS).redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("HTTP/1.1 200 OK"), out);
        assertTrue(out.toLowerCase().contains("x-spec-kitty-version: " + VERSION), out);
        JsonNode body = Json.tree(out.substring(out.indexOf("\r\n\r\n") + 4));
        assertEquals("b805cd5cee74", body.path("node_id").asText());
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && List.of(path.split(":")).stream().anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }

    private static String events(String type) {
        return "{\"events\":[{\"event_type\":\"" + type + "\"}]}";
    }

    private static String error(UnixHttp.Response r) throws IOException {
        return Json.read(r.body(), ErrorResponse.class).error();
    }
}
