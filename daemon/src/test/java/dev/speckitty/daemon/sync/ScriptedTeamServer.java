package dev.speckitty.daemon.sync;

import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.wire.Api;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * A team server on loopback, in the spirit of OkHttp's MockWebServer: it answers the endpoints a sync
 * calls ({@code sync/health} with 404 as a 2.x server, the pull with an empty page, the batch with
 * {@code success} for every event, token refresh and ws-token) over real HTTP, refuses every
 * WebSocket upgrade (404, as a proxy that drops WebSockets), and counts the calls per path. A test
 * scripts one fault for every API call ({@link #answer}). Thread-safe.
 */
final class ScriptedTeamServer implements AutoCloseable {
    private final HttpServer http;
    private final ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "scripted-server");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final List<Integer> batchSizes = new ArrayList<>();
    private volatile int status = 200;
    private volatile String retryAfter;
    private final Map<String, Runnable> during = new ConcurrentHashMap<>();

    private ScriptedTeamServer(HttpServer http) {
        this.http = http;
    }

    static ScriptedTeamServer start() throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        ScriptedTeamServer server = new ScriptedTeamServer(http);
        http.createContext("/", server::handle);
        http.setExecutor(server.threads);
        http.start();
        return server;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    /** From now on every API call (not the health probe or the upgrade) is answered {@code status}, with {@code Retry-After} when not null. */
    void answer(int status, String retryAfter) {
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /**
     * Runs {@code action} once, on the server's thread, while the next request to {@code path} is
     * being handled (before it is answered): the client's call is in flight meanwhile.
     */
    void duringNext(String path, Runnable action) {
        during.put(path, action);
    }

    int calls(String path) {
        AtomicInteger n = calls.get(path);
        return n == null ? 0 : n.get();
    }

    /** Every request so far, whatever its path. */
    int total() {
        return calls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** The number of events in each batch received, in order. */
    synchronized List<Integer> batchSizes() {
        return List.copyOf(batchSizes);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            Runnable action = during.remove(path);
            if (action != null) {
                action.run();
            }
            if (path.equals(Api.WEBSOCKET) || path.equals(Api.SYNC_HEALTH)) {
                reply(exchange, 404, "{\"error\":\"not found\"}");
                return;
            }
            int now = status;
            if (now != 200) {
                String wait = retryAfter;
                if (wait != null) {
                    exchange.getResponseHeaders().set("Retry-After", wait);
                }
                reply(exchange, now, "{\"error\":\"scripted " + now + "\"}");
                return;
            }
            switch (path) {
                case Api.TOKEN_REFRESH -> reply(exchange, 200, "{\"access\":\"access-refreshed\",\"refresh\":\"refresh-refreshed\","
                        + "\"access_lifetime\":900,\"refresh_lifetime\":86400,\"team_slug\":\"team-a\"}");
                case Api.WS_TOKEN -> reply(exchange, 200, "{\"ws_token\":\"ws-1\",\"expires_in\":60}");
                case Api.EVENTS_BATCH -> reply(exchange, 200, results(body));
                case Api.EVENTS -> {
                    String query = exchange.getRequestURI().getQuery();
                    String after = query == null ? "0" : query.replaceAll(".*after=([0-9]*).*", "$1");
                    reply(exchange, 200, "{\"events\":[],\"next_cursor\":\"" + (after.isEmpty() ? "0" : after) + "\",\"has_more\":false}");
                }
                default -> reply(exchange, 404, "{\"error\":\"not found\"}");
            }
        }
    }

    /** {@code success} for each event of a gzipped batch, in order. */
    private String results(byte[] gzipped) throws IOException {
        JsonNode events;
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gzipped))) {
            events = Json.tree(in.readAllBytes()).get("events");
        }
        synchronized (this) {
            batchSizes.add(events.size());
        }
        StringBuilder out = new StringBuilder("{\"results\":[");
        for (int i = 0; i < events.size(); i++) {
            out.append(i == 0 ? "" : ",").append("{\"event_id\":\"").append(events.get(i).get("event_id").asText())
                    .append("\",\"status\":\"success\",\"error_message\":null}");
        }
        return out.append("]}").toString();
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
    }
}
