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

    /**
     * A client that pipelines requests as fast as it can and never reads (a hostile or broken one) is
     * held back by its own socket: the daemon reads ahead one request behind the one it answers, so in
     * a second the client gets a few hundred KiB into the socket and then nothing more, not everything it writes (before the
     * bound, 110 MB in 5 s against the real daemon, which held them all: RSS 100 to 635 MB). Every whole
     * request it did get in is answered, in order, once it reads.
     */
    @Test
    void aClientThatPipelinesWithoutReadingIsHeldBackByItsOwnSocket() throws Exception {
        byte[] one = UnixHttp.request("GET", ControlApi.STATUS, null).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] burst = new byte[one.length * 1000];
        for (int i = 0; i < 1000; i++) {
            System.arraycopy(one, 0, burst, i * one.length, one.length);
        }
        long written = 0;
        try (java.nio.channels.SocketChannel c = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            c.connect(java.net.UnixDomainSocketAddress.of(socket));
            c.configureBlocking(false);
            java.nio.ByteBuffer out = java.nio.ByteBuffer.wrap(burst);
            long[] windows = new long[2]; // bytes the daemon took in each of two seconds of writing
            for (int w = 0; w < windows.length; w++) {
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000);
                while (System.nanoTime() < until) {
                    int n = c.write(out);
                    windows[w] += n;
                    if (!out.hasRemaining()) {
                        out.rewind();
                    } else if (n == 0) {
                        Thread.sleep(1);
                    }
                }
            }
            written = windows[0] + windows[1];
            assertTrue(written < 4L << 20, "the daemon took " + written + " bytes from a client that never read (expected: under 4 MiB)");
            assertTrue(windows[1] < 64 << 10, "once the socket is full the daemon reads no more: " + windows[1]
                    + " bytes taken in the second second (expected: under 64 KiB)");

            c.configureBlocking(true);
            byte[] answers = java.nio.channels.Channels.newInputStream(c).readAllBytes(); // to the 408 and close after the last whole request
            String text = new String(answers, java.nio.charset.StandardCharsets.US_ASCII);
            long whole = written / one.length;
            long ok = java.util.regex.Pattern.compile("HTTP/1\\.1 200 ").matcher(text).results().count();
            assertEquals(whole, ok, "every whole request the daemon took is answered");
            assertTrue(text.substring(text.lastIndexOf("HTTP/1.1 ")).startsWith("HTTP/1.1 408 "), "then the deadline");
        }
    }

    /** A server on its own socket with {@code budget} (closed by the test). */
    private ControlServer withBudget(String name, RequestBudget budget) {
        return ControlServer.start(dir.resolve(name + "/daemon.sock"), service, blocking, "9.9.9-test", LIMITS, budget);
    }

    /**
     * One request whose tree is far larger than its bytes (a two-byte {@code {}} is a whole object):
     * refused 413 while it is read, with the bound in the answer, and the daemon answers on with all of
     * its budget back. Before, one 31 MiB body of {@code {}} ran the daemon out of its heap.
     */
    @Test
    void aRequestOfTinyValuesPastTheWholeBudgetIsRefused413WhileItIsRead() throws Exception {
        RequestBudget budget = new RequestBudget(48L << 20, 100_000);
        try (ControlServer small = withBudget("tiny", budget)) {
            String tiny = "{\"events\":[{\"event_type\":\"x\",\"pad\":[" + "{},".repeat(200_000) + "{}]}]}";
            UnixHttp h = UnixHttp.connect(small.socket());
            open.add(h);
            UnixHttp.Response r = h.exchange("POST", ControlApi.EVENTS, tiny);
            assertEquals(413, r.status(), r.body());
            assertTrue(r.body().contains("nothing was queued: more than 100,000 JSON values in one request (expected: at most 100,000"), r.body());
            assertEquals(200, h.exchange("GET", ControlApi.STATUS, null).status(), "the daemon answers on");
            assertEquals(0, budget.valuesHeld());
            assertEquals(0, budget.bytesHeld());
        }
    }

    /**
     * Bodies past the bytes every request may hold at once: a request whose head comes while another's
     * body is still being read is answered 503 at once, before its body is read (the CLI then queues
     * in-process), and once the first is answered its bytes are free again.
     */
    @Test
    void aBodyPastTheBytesLeftIsRefused503BeforeItIsReadAndTheBytesComeBack() throws Exception {
        RequestBudget budget = new RequestBudget(1L << 20, 1_000_000);
        try (ControlServer small = withBudget("bytes", budget)) {
            String big = "{\"events\":[{\"event_type\":\"x\",\"event_id\":\"a\",\"pad\":\"" + "p".repeat(800_000) + "\"}]}";
            String request = UnixHttp.request("POST", ControlApi.EVENTS, big);
            UnixHttp first = UnixHttp.connect(small.socket());
            open.add(first);
            first.sendRaw(request.substring(0, request.length() - 1000)); // its head reserved 800 KB; the body not all there
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (budget.bytesHeld() == 0) {
                assertTrue(System.nanoTime() < deadline, "the first head was read");
                Thread.sleep(5);
            }
            UnixHttp second = UnixHttp.connect(small.socket());
            open.add(second);
            // Only its head: the answer comes before any of the body is read.
            second.sendRaw("POST " + ControlApi.EVENTS + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 400000\r\n\r\n");
            UnixHttp.Response refused = second.read();
            assertEquals(503, refused.status(), refused.body());
            assertTrue(refused.body().contains("the daemon is reading or answering 1 MiB of other requests (expected: at most 1 MiB at once)"),
                    refused.body());
            assertTrue(second.atEof());

            first.sendRaw(request.substring(request.length() - 1000));
            UnixHttp.Response ok = first.read();
            assertEquals(200, ok.status(), ok.body());
            assertTrue(ok.body().contains("\"a\""), ok.body());
            assertEquals(0, budget.bytesHeld(), "given back once answered");
            UnixHttp again = UnixHttp.connect(small.socket());
            open.add(again);
            assertEquals(200, again.exchange("POST", ControlApi.EVENTS, big).status(), "room again");

            UnixHttp garbled = UnixHttp.connect(small.socket());
            open.add(garbled);
            garbled.sendRaw("POST " + ControlApi.EVENTS + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: lots\r\n\r\n{}");
            assertEquals(400, garbled.read().status(), "a length that is no number is a bad request, not a reservation");
            assertEquals(0, budget.bytesHeld());
        }
    }

    /** Bodies read whole by databind (parked ids, a sync request) stay small: 2 MiB of {@code ""} ids is refused 413. */
    @Test
    void aLargeBodyForAnotherRouteIsRefused413() throws Exception {
        UnixHttp h = connect();
        String ids = "{\"event_ids\":[" + "\"\",".repeat(700_000) + "\"\"]}";
        UnixHttp.Response r = h.exchange("POST", ControlApi.PARKED_RETRY, ids);
        assertEquals(413, r.status(), r.body());
        assertTrue(r.body().contains("bytes for POST " + ControlApi.PARKED_RETRY + " (expected: at most 1 MiB)"), r.body());
        assertEquals(200, h.exchange("GET", ControlApi.STATUS, null).status());
    }
}
