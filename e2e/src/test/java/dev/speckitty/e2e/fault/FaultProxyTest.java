package dev.speckitty.e2e.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.json.JsonException;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.TokenRequest;
import dev.speckitty.server.ServerOptions;
import dev.speckitty.server.TeamServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Each fault of the {@link FaultProxy}, as a JDK HttpClient (or WebSocket) sees it, in front of a real backend. */
@Timeout(60)
class FaultProxyTest {
    /** Requests the backend read completely. */
    private final AtomicInteger arrived = new AtomicInteger();
    private HttpServer backend;
    private FaultProxy proxy;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws IOException {
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/echo", ex -> {
            byte[] in;
            try (InputStream body = ex.getRequestBody()) {
                in = body.readAllBytes();
            }
            arrived.incrementAndGet();
            byte[] out = ("{\"received\":" + in.length + ",\"pad\":\"" + "x".repeat(4000) + "\"}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        backend.start();
        proxy = FaultProxy.start("127.0.0.1", backend.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        proxy.close();
        backend.stop(0);
    }

    private HttpResponse<String> post(int bodyBytes, Duration timeout) throws Exception {
        return http.send(HttpRequest.newBuilder(proxy.url().resolve("/echo")).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString("b".repeat(bodyBytes))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post() throws Exception {
        return post(20_000, Duration.ofSeconds(10));
    }

    @Test
    void withoutAFaultRequestsPassOnOneKeptAliveConnection() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = post();
            assertEquals(200, r.statusCode());
            assertEquals(20_000, Json.tree(r.body()).path("received").asInt());
        }
        assertEquals(3, arrived.get());
        assertEquals(0, proxy.faultsInjected());
        assertEquals(3, proxy.requests());
    }

    @Test
    void latencyDelaysTheAnswer() throws Exception {
        proxy.set(Fault.LATENCY);
        long start = System.nanoTime();
        assertEquals(200, post().statusCode());
        assertTrue(System.nanoTime() - start >= FaultProxy.LATENCY.toNanos(), "answered after the added latency");
        assertEquals(1, proxy.faultsInjected());
    }

    @Test
    void resetBeforeTheBodyReachesNothing() throws Exception {
        proxy.set(Fault.RESET_BEFORE_BODY);
        assertThrows(IOException.class, this::post);
        assertEquals(0, arrived.get());
        proxy.set(Fault.NONE);
        assertEquals(200, post().statusCode(), "the next request passes again");
    }

    @Test
    void resetDuringTheBodyLeavesTheServerAHalfRequest() throws Exception {
        proxy.set(Fault.RESET_DURING_BODY);
        assertThrows(IOException.class, this::post);
        proxy.set(Fault.NONE);
        assertEquals(200, post().statusCode());
        assertEquals(1, arrived.get(), "only the second request was read whole");
    }

    @Test
    void resetAfterTheBodyLosesTheAnswerOfARequestTheServerDidGet() throws Exception {
        proxy.set(Fault.RESET_AFTER_BODY);
        assertThrows(IOException.class, this::post);
        assertEquals(1, arrived.get(), "the server acted on the request");
    }

    @Test
    void aBlackHoleNeverAnswers() throws Exception {
        proxy.set(Fault.BLACK_HOLE);
        assertThrows(HttpTimeoutException.class, () -> post(100, Duration.ofMillis(800)));
        assertEquals(0, arrived.get());
    }

    @Test
    void errorStatusesAreAnsweredWithoutForwarding() throws Exception {
        for (Fault f : new Fault[] {Fault.STATUS_500, Fault.STATUS_502, Fault.STATUS_503}) {
            proxy.set(f);
            HttpResponse<String> r = post();
            assertEquals(f.status(), r.statusCode());
            assertTrue(Json.tree(r.body()).path("error").asText().contains("injected"), r.body());
        }
        assertEquals(0, arrived.get());
        assertEquals(3, proxy.faultsInjected());
    }

    @Test
    void aTruncatedBodyIsAnError() throws Exception {
        proxy.set(Fault.TRUNCATED_BODY);
        assertThrows(IOException.class, this::post);
        assertEquals(1, arrived.get());
    }

    @Test
    void aMalformedAnswerIsNotJson() throws Exception {
        proxy.set(Fault.MALFORMED_JSON);
        HttpResponse<String> r = post();
        assertEquals(200, r.statusCode());
        assertThrows(JsonException.class, () -> Json.tree(r.body()));
    }

    @Test
    void aSlowDripDeliversTheWholeAnswerLate() throws Exception {
        proxy.set(Fault.SLOW_DRIP);
        long start = System.nanoTime();
        HttpResponse<String> r = post();
        long chunks = (r.body().length() + FaultProxy.DRIP_BYTES - 1) / FaultProxy.DRIP_BYTES;
        assertEquals(20_000, Json.tree(r.body()).path("received").asInt());
        assertTrue(System.nanoTime() - start >= (chunks - 1) * FaultProxy.DRIP_EVERY.toNanos(), "dripped over " + chunks + " chunks");
    }

    @Test
    void aFrozenWebSocketStaysOpenAndSilentWhileNewConnectionsStillWork(@TempDir Path dir) throws Exception {
        try (TeamServer server = TeamServer.start(ServerOptions.loopback(dir))) {
            server.users().add("ada", "team-a", "pw");
            try (FaultProxy ws = FaultProxy.to(server.url())) {
                Socket first = Socket.open(http, ws.url());
                assertEquals("hello", first.next().path("type").asText());

                ws.set(Fault.WS_FREEZE);
                first.socket.sendText("{\"type\":\"ping\",\"timestamp\":\"2026-01-01T00:00:00Z\"}", true);
                assertTrue(first.poll(Duration.ofMillis(1500)) == null, "no pong through a frozen link");
                assertFalse(first.closed.get(), "a frozen link is not closed");
                assertEquals(1, ws.faultsInjected());

                ws.set(Fault.NONE);
                Socket second = Socket.open(http, ws.url());
                assertEquals("hello", second.next().path("type").asText());
                second.socket.sendText("{\"type\":\"ping\",\"timestamp\":\"2026-01-01T00:00:00Z\"}", true);
                assertEquals("pong", second.next().path("type").asText());
                assertTrue(first.poll(Duration.ofMillis(200)) == null, "the frozen link stays frozen");
                second.socket.abort();
                first.socket.abort();
            }
        }
    }

    /** A JDK WebSocket client to the team server through the proxy, collecting text frames. */
    private static final class Socket implements WebSocket.Listener {
        final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        final AtomicBoolean closed = new AtomicBoolean();
        final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        static Socket open(HttpClient http, URI proxy) throws Exception {
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(proxy.resolve(Api.TOKEN))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Json.writeBytes(new TokenRequest("ada", "pw")))).build(),
                    HttpResponse.BodyHandlers.ofString());
            String access = Json.tree(login.body()).path("access").asText();
            HttpResponse<String> ws = http.send(HttpRequest.newBuilder(proxy.resolve(Api.WS_TOKEN)).header("Authorization", "Bearer " + access)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            String token = Json.tree(ws.body()).path("ws_token").asText();
            Socket s = new Socket();
            s.socket = http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                    .buildAsync(URI.create("ws://127.0.0.1:" + proxy.getPort() + "/ws/v1/events/"), s).get(10, TimeUnit.SECONDS);
            return s;
        }

        com.fasterxml.jackson.databind.JsonNode next() throws InterruptedException {
            String f = poll(Duration.ofSeconds(10));
            if (f == null) {
                fail("no frame within 10 s");
            }
            return Json.tree(f);
        }

        String poll(Duration d) throws InterruptedException {
            return frames.poll(d.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.set(true);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.set(true);
        }
    }
}
