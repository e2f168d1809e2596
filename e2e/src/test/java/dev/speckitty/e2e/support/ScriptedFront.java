package dev.speckitty.e2e.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.speckitty.protocol.wire.Api;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server in front of a real team server that plays what a hostile or merely odd
 * server (or a proxy before it) does, which the real server refuses to: pull answers scripted by the
 * test (events it would never store, pages of any size), a body limit on uploads (413, like a proxy's
 * {@code client_max_body_size}), and 429/503 with {@code Retry-After}. Everything else (login,
 * refresh, ws-token, batches within the limit) is forwarded to the real server. It refuses the
 * WebSocket (404), so a daemon in front of it syncs by polling. Thread-safe: the test sets the
 * script, the server's threads read it.
 */
public final class ScriptedFront implements AutoCloseable {
    /** A pull page: the events after {@code after}, at most {@code limit}; answers what to send. */
    @FunctionalInterface
    public interface Pages {
        Page page(long after, int limit);
    }

    /**
     * A pull answer: its body as parts written in order ({@code byte[]}, or a {@link Filler} of
     * repeated bytes, so a 70 MB answer costs no memory), and whether to announce its length.
     */
    public record Page(List<Object> parts, boolean announceLength) {
        long length() {
            long n = 0;
            for (Object p : parts) {
                n += p instanceof byte[] b ? b.length : ((Filler) p).count();
            }
            return n;
        }
    }

    /** {@code count} copies of {@code b}. */
    public record Filler(byte b, long count) {
    }

    private final HttpServer http;
    private final ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "scripted-front");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient backend = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI real;
    private volatile Pages pages;
    private volatile int maxBatchBody = Integer.MAX_VALUE;
    private final AtomicInteger busyAnswers = new AtomicInteger();
    private volatile String busyRetryAfter = "";
    private final List<Integer> pullLimits = new CopyOnWriteArrayList<>();
    private final Set<String> refusedBodies = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refusedAgain = new AtomicInteger();
    private final AtomicInteger tooLarge = new AtomicInteger();
    private final AtomicInteger batches = new AtomicInteger();

    private ScriptedFront(URI real) throws IOException {
        this.real = real;
        this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        http.setExecutor(threads);
        http.createContext("/", this::handle);
        http.start();
    }

    /** Starts a front on a free loopback port for the real server at {@code real}. */
    public static ScriptedFront start(String real) throws IOException {
        return new ScriptedFront(URI.create(real));
    }

    /** {@code http://127.0.0.1:<port>}, for {@code sync.server_url}. */
    public String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** Serves pulls from {@code script} from now on (null: forward them to the real server). */
    public void pages(Pages script) {
        this.pages = script;
    }

    /** Answers 413 to any batch whose (compressed) body is larger than {@code bytes}. */
    public void maxBatchBody(int bytes) {
        this.maxBatchBody = bytes;
    }

    /** Answers the next {@code n} batch uploads with {@code status} and this {@code Retry-After} value. */
    public void busy(int n, String retryAfter) {
        busyRetryAfter = retryAfter;
        busyAnswers.set(n);
    }

    /** The {@code limit} of every scripted pull, in order. */
    public List<Integer> pullLimits() {
        return List.copyOf(pullLimits);
    }

    /** Batches answered 413. */
    public int tooLarge() {
        return tooLarge.get();
    }

    /** Batches that arrived again byte for byte after a 413. */
    public int refusedBodiesSentAgain() {
        return refusedAgain.get();
    }

    /** Batch uploads seen. */
    public int batches() {
        return batches.get();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            if (path.startsWith(Api.WEBSOCKET)) {
                answer(x, 404, "{\"error\":\"no WebSocket here\"}");
                return;
            }
            Pages script = pages;
            if (path.equals(Api.EVENTS) && x.getRequestMethod().equals("GET") && script != null) {
                pull(x, script);
                return;
            }
            byte[] body = x.getRequestBody().readAllBytes();
            if (path.equals(Api.EVENTS_BATCH)) {
                batches.incrementAndGet();
                if (busyAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    x.getResponseHeaders().set("Retry-After", busyRetryAfter);
                    answer(x, 503, "{\"error\":\"busy (scripted)\",\"details\":[]}");
                    return;
                }
                String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
                if (refusedBodies.contains(digest)) {
                    refusedAgain.incrementAndGet();
                }
                if (body.length > maxBatchBody) {
                    refusedBodies.add(digest);
                    tooLarge.incrementAndGet();
                    answer(x, 413, "{\"error\":\"request body of " + body.length + " bytes is larger than this proxy takes ("
                            + maxBatchBody + ")\",\"details\":[]}");
                    return;
                }
            }
            forward(x, body);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private void pull(HttpExchange x, Pages script) throws IOException {
        Map<String, String> query = query(x.getRequestURI().getRawQuery());
        long after = Long.parseLong(query.getOrDefault("after", "0"));
        int limit = Integer.parseInt(query.getOrDefault("limit", "1000"));
        pullLimits.add(limit);
        Page page = script.page(after, limit);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(200, page.announceLength() ? page.length() : 0);
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = x.getResponseBody()) {
            for (Object part : page.parts()) {
                if (part instanceof byte[] b) {
                    out.write(b);
                    continue;
                }
                Filler f = (Filler) part;
                java.util.Arrays.fill(chunk, f.b());
                for (long left = f.count(); left > 0; left -= chunk.length) {
                    out.write(chunk, 0, (int) Math.min(chunk.length, left));
                }
            }
        } catch (IOException e) {
            // The client stopped reading (an answer it will not take): that is the point.
        }
    }

    private void forward(HttpExchange x, byte[] body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(real.resolve(x.getRequestURI().toString())).timeout(Duration.ofSeconds(30));
        for (String h : new String[] {"Authorization", "Content-Type", "Content-Encoding"}) {
            String v = x.getRequestHeaders().getFirst(h);
            if (v != null) {
                r.header(h, v);
            }
        }
        r.method(x.getRequestMethod(), body.length == 0 && x.getRequestMethod().equals("GET")
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<byte[]> answer = backend.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
        answer.headers().firstValue("Content-Type").ifPresent(v -> x.getResponseHeaders().set("Content-Type", v));
        x.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(answer.body());
        }
    }

    private static void answer(HttpExchange x, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length);
        try (OutputStream out = x.getResponseBody(); InputStream ignored = x.getRequestBody()) {
            out.write(b);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new java.util.HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return q;
    }

    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
    }
}
