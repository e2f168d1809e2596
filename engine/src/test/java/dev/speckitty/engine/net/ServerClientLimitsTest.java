package dev.speckitty.engine.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How the client reads answers it must bound: too large, 413, 429 and 503 with Retry-After. A real server on loopback. */
@Timeout(60)
class ServerClientLimitsTest {
    private HttpServer http;
    private final AtomicLong written = new AtomicLong();

    private ServerClient serve(Consumer<HttpExchange> handler) throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        http.setExecutor(Executors.newFixedThreadPool(2));
        http.createContext("/", x -> {
            try (x) {
                handler.accept(x);
            }
        });
        http.start();
        Clock fixed = Clock.fixed(Instant.parse("2026-10-21T07:20:00Z"), ZoneOffset.UTC);
        return new ServerClient(URI.create("http://127.0.0.1:" + http.getAddress().getPort()), Duration.ofSeconds(20), fixed);
    }

    @AfterEach
    void stop() {
        if (http != null) {
            http.stop(0);
        }
    }

    /** Streams {@code bytes} of a JSON page, announced or not; counts what the server managed to write. */
    private void page(HttpExchange x, long bytes, boolean announce) {
        try {
            x.sendResponseHeaders(200, announce ? bytes : 0);
            OutputStream out = x.getResponseBody();
            byte[] head = "{\"events\":[],\"next_cursor\":\"0\",\"has_more\":false,\"pad\":\"".getBytes(StandardCharsets.US_ASCII);
            out.write(head);
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            for (long left = bytes - head.length - 2; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
                written.addAndGet(chunk.length);
            }
            out.write("\"}".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // the client hung up: expected for answers it refuses
        }
    }

    /** Answers every request with {@code body}, and remembers the last request's query. */
    private ServerClient answering(String body, java.util.concurrent.atomic.AtomicReference<String> query) throws IOException {
        return serve(x -> {
            query.set(x.getRequestURI().getRawQuery());
            try {
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                x.sendResponseHeaders(200, b.length);
                x.getResponseBody().write(b);
            } catch (IOException e) {
                // the client hung up
            }
        });
    }

    @Test
    void cursorsOfAPageThatLeftEventsOutMustBeOneIncreasingPositionPerEventUpToNextCursor() throws Exception {
        String event = "{\"event_id\":\"01KAT000000000000000000001\"}";
        java.util.concurrent.atomic.AtomicReference<String> query = new java.util.concurrent.atomic.AtomicReference<>();
        ServerClient good = answering("{\"events\":[" + event + "],\"cursors\":[\"7\"],\"next_cursor\":\"9\",\"has_more\":false}", query);
        assertEquals(7, good.pull("t", "5", 1000, Optional.of("abc_-1")).cursors().orElseThrow()[0]);
        assertEquals("after=5&limit=1000&skip_node=abc_-1", query.get());
        http.stop(0);
        for (String bad : new String[] {
                "{\"events\":[" + event + "],\"cursors\":[],\"next_cursor\":\"9\",\"has_more\":false}",          // one short
                "{\"events\":[" + event + "],\"cursors\":[\"5\"],\"next_cursor\":\"9\",\"has_more\":false}",     // not after `after`
                "{\"events\":[" + event + "],\"cursors\":[\"10\"],\"next_cursor\":\"9\",\"has_more\":false}",    // past next_cursor
                "{\"events\":[" + event + "," + event + "],\"cursors\":[\"8\",\"8\"],\"next_cursor\":\"9\",\"has_more\":false}"}) {
            ServerClient client = answering(bad, query);
            ServerCallException e = assertThrows(ServerCallException.class, () -> client.pull("t", "5", 1000, Optional.of("n")), bad);
            assertEquals(ServerCallException.Kind.SERVER_ERROR, e.kind(), bad);
            assertTrue(e.getMessage().contains("cursor"), e.getMessage());
            http.stop(0);
        }
        http = null;
    }

    @Test
    void anAnswerAnnouncedLargerThanTheCapIsRefusedBeforeItsBodyIsRead() throws Exception {
        ServerClient client = serve(x -> page(x, 72L * 1024 * 1024, true));
        ServerCallException e = assertThrows(ServerCallException.class, () -> client.pull("t", "0", 1000));
        assertEquals(ServerCallException.Kind.ANSWER_TOO_LARGE, e.kind());
        assertTrue(e.getMessage().contains("(75497472 bytes, announced; expected: at most 67108864 bytes)"), e.getMessage());
    }

    @Test
    void anUnannouncedAnswerIsReadOnlyUpToTheCap() throws Exception {
        ServerClient client = serve(x -> page(x, 200L * 1024 * 1024, false));
        ServerCallException e = assertThrows(ServerCallException.class, () -> client.pull("t", "0", 1000));
        assertEquals(ServerCallException.Kind.ANSWER_TOO_LARGE, e.kind());
        assertTrue(e.getMessage().contains("more than 67108864 bytes"), e.getMessage());
        http.stop(1); // let the writer notice the hang-up
        assertTrue(written.get() < 150L * 1024 * 1024, "the client stopped reading near its cap: " + written.get());
    }

    @Test
    void aPageJustUnderTheCapIsRead() throws Exception {
        ServerClient client = serve(x -> page(x, 8L * 1024 * 1024, false));
        assertEquals("0", client.pull("t", "0", 1000).nextCursor());
    }

    @Test
    void status413IsTooLargeAnd429Or503CarryRetryAfter() throws Exception {
        String[] status = {"413", ""};
        ServerClient client = serve(x -> {
            try {
                byte[] b = "{\"error\":\"no\",\"details\":[]}".getBytes(StandardCharsets.UTF_8);
                if (!status[1].isEmpty()) {
                    x.getResponseHeaders().set("Retry-After", status[1]);
                }
                x.sendResponseHeaders(Integer.parseInt(status[0]), b.length);
                x.getResponseBody().write(b);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        ServerCallException tooLarge = assertThrows(ServerCallException.class, () -> client.upload("t", new byte[] {1}, 1));
        assertEquals(ServerCallException.Kind.REQUEST_TOO_LARGE, tooLarge.kind());
        assertEquals(413, tooLarge.status());
        status[0] = "429";
        status[1] = "120";
        ServerCallException busy = assertThrows(ServerCallException.class, () -> client.upload("t", new byte[] {1}, 1));
        assertEquals(ServerCallException.Kind.SERVER_ERROR, busy.kind());
        assertEquals(Optional.of(Duration.ofSeconds(120)), busy.retryAfter());
        assertTrue(busy.getMessage().endsWith("HTTP 429 (no); the server asked to retry after 120 s"), busy.getMessage());
        status[0] = "503";
        status[1] = "Wed, 21 Oct 2026 07:28:00 GMT";
        assertEquals(Optional.of(Duration.ofMinutes(8)),
                assertThrows(ServerCallException.class, () -> client.pull("t", "0", 10)).retryAfter());
        status[0] = "500";
        assertEquals(Optional.empty(), assertThrows(ServerCallException.class, () -> client.pull("t", "0", 10)).retryAfter(),
                "only 429 and 503 carry advice");
    }

    @Test
    void syncLimitsAreReadFromSyncHealthAndA2xServerWithoutItLeavesTheDefaults() throws IOException {
        ServerClient client = serve(x -> {
            try {
                byte[] body = ("{\"status\":\"ok\",\"sync_ingress\":{\"limits\":{\"max_events_per_batch\":200,"
                        + "\"max_decompressed_bytes_per_batch\":100000,\"max_event_bytes\":50000,\"retry_after_min_seconds\":1,"
                        + "\"retry_after_max_seconds\":60}}}").getBytes(StandardCharsets.UTF_8);
                assertEquals(dev.speckitty.protocol.wire.Api.SYNC_HEALTH, x.getRequestURI().getPath());
                x.sendResponseHeaders(200, body.length);
                x.getResponseBody().write(body);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        var limits = client.syncLimits().orElseThrow();
        assertEquals(200, limits.maxEventsPerBatch());
        assertEquals(100000, limits.maxDecompressedBytesPerBatch());
        http.stop(0);
        ServerClient old = serve(x -> {
            try {
                byte[] body = "{\"error\":\"no such endpoint\"}".getBytes(StandardCharsets.UTF_8);
                x.sendResponseHeaders(404, body.length);
                x.getResponseBody().write(body);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertTrue(old.syncLimits().isEmpty());
    }
}
