package dev.speckitty.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A JDK WebSocket client that queues every text frame it receives and remembers how it was closed. For tests. */
public final class WsClient implements WebSocket.Listener, AutoCloseable {
    private final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket ws;

    private WsClient() {
    }

    public static WsClient connect(HttpClient http, URI base, String wsToken) {
        return connectTo(http, URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/ws/v1/events/"), wsToken);
    }

    /** Connects to a ws URL as a server handed it out. */
    public static WsClient connectTo(HttpClient http, URI uri, String wsToken) {
        WsClient c = new WsClient();
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (wsToken != null) {
            b.header("Authorization", "Bearer " + wsToken);
        }
        c.ws = b.buildAsync(uri, c).orTimeout(10, TimeUnit.SECONDS).join();
        return c;
    }

    /** The HTTP status of a refused handshake. */
    public static int refusal(HttpClient http, URI base, String wsToken) {
        try {
            connect(http, base, wsToken).close();
            throw new AssertionError("the WebSocket handshake was accepted");
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw e;
        }
    }

    public WebSocket socket() {
        return ws;
    }

    public void send(String text) {
        ws.sendText(text, true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    /** The next frame, waiting up to 10 s. */
    public JsonNode next() {
        try {
            JsonNode f = frames.poll(10, TimeUnit.SECONDS);
            if (f == null) {
                throw new AssertionError("no WebSocket frame within 10 s");
            }
            return f;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next frame of a type, skipping others (e.g. pings). */
    public JsonNode next(String type) {
        while (true) {
            JsonNode f = next();
            if (f.path("type").asText().equals(type)) {
                return f;
            }
        }
    }

    public JsonNode poll(long millis) throws InterruptedException {
        return frames.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** The close code the server sent, waiting up to 10 s. */
    public int closeCode() {
        return closed.orTimeout(10, TimeUnit.SECONDS).join();
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            frames.add(Json.tree(partial.toString()));
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            ws.abort();
        }
    }
}
