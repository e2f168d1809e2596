package dev.speckitty.daemon.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.protocol.control.ControlApi;
import dev.speckitty.protocol.control.SyncUpdate;
import dev.speckitty.protocol.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control socket's bounds on hostile or broken clients (issue 21, finding 6): a connection that
 * does not deliver a whole request in time is answered 408 and closed, a reply being streamed is not
 * cut, and connections past the maximum are answered 503 at once. Before, partial requests were held
 * open for as long as the client liked. Short limits here; the daemon's are 10 s and 64.
 */
@Timeout(30)
class ControlLimitsTest {
    static final ControlLimits LIMITS = new ControlLimits(Duration.ofMillis(400), 4);

    @TempDir
    Path dir;
    Path socket;
    ExecutorService blocking;
    TestControlService service;
    ControlServer server;
    final List<UnixHttp> open = new ArrayList<>();

    @BeforeEach
    void start() {
        socket = dir.resolve("run/daemon.sock");
        blocking = Executors.newFixedThreadPool(4);
        service = new TestControlService();
        server = ControlServer.start(socket, service, blocking, "9.9.9-test", LIMITS);
    }

    @AfterEach
    void stop() throws Exception {
        for (UnixHttp h : open) {
            h.close();
        }
        server.close();
        blocking.shutdownNow();
        assertTrue(blocking.awaitTermination(10, TimeUnit.SECONDS));
    }

    private UnixHttp connect() throws Exception {
        UnixHttp h = UnixHttp.connect(socket);
        open.add(h);
        return h;
    }

    @Test
    void aPartialRequestAndAnIdleConnectionAreAnswered408AndClosed() throws Exception {
        UnixHttp partial = connect();
        partial.sendRaw("POST " + ControlApi.EVENTS + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{\"events\":");
        UnixHttp idle = connect();
        for (UnixHttp h : List.of(partial, idle)) {
            UnixHttp.Response r = h.read();
            assertEquals(408, r.status());
            assertTrue(r.body().contains("no whole request within 400 ms (expected: a request head and body within 400 ms"), r.body());
            assertTrue(h.atEof(), "and closed");
        }
    }

    @Test
    void aKeptAliveConnectionGetsANewDeadlineAfterEachAnswer() throws Exception {
        UnixHttp h = connect();
        assertEquals(200, h.exchange("GET", ControlApi.STATUS, null).status());
        assertEquals(200, h.exchange("GET", ControlApi.STATUS, null).status());
        assertEquals(408, h.read().status(), "then idle too long");
        assertTrue(h.atEof());
    }

    @Test
    void aStreamedSyncIsNotIdleTime() throws Exception {
        service.step = new Semaphore(0);
        UnixHttp sync = connect();
        sync.sendRaw(UnixHttp.request("POST", ControlApi.SYNC, "{}"));
        assertEquals(200, sync.readHead().status());
        assertEquals(Json.write(SyncUpdate.progress("push", 1, 3)) + "\n", sync.readChunk());
        // An idle connection opened after it has its deadline pass: so has the sync's time since its request.
        UnixHttp clock = connect();
        assertEquals(408, clock.read().status());
        service.step.release(2);
        assertEquals(Json.write(SyncUpdate.progress("push", 3, 3)) + "\n", sync.readChunk());
        assertTrue(sync.readChunk().contains("\"summary\""));
    }

    @Test
    void connectionsPastTheMaximumAreRefusedAtOnceAndTheSlotsComeBack() throws Exception {
        List<UnixHttp> held = new ArrayList<>();
        for (int i = 0; i < LIMITS.maxConnections(); i++) {
            UnixHttp h = connect();
            h.sendRaw("GET " + ControlApi.STATUS + " HTTP/1.1\r\n"); // a head that never ends
            held.add(h);
        }
        UnixHttp extra = connect();
        UnixHttp.Response refused = extra.read();
        assertEquals(503, refused.status());
        assertEquals("9.9.9-test", refused.header(ControlApi.VERSION_HEADER));
        assertTrue(refused.body().contains("the daemon already serves 4 control connections (expected: at most 4)"), refused.body());
        assertTrue(extra.atEof());
        for (UnixHttp h : held) {
            assertEquals(408, h.read().status(), "the held ones time out");
        }
        // Their slots are free again (closing is noticed on the event loop: poll for it).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            UnixHttp h = connect();
            UnixHttp.Response r = h.exchange("GET", ControlApi.STATUS, null);
            if (r.status() == 200) {
                break;
            }
            assertTrue(System.nanoTime() < deadline, "a slot came back");
        }
    }
}
