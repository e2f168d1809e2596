package dev.speckitty.engine.net;

import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.json.JsonException;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.BatchResponse;
import dev.speckitty.protocol.wire.Cursor;
import dev.speckitty.protocol.wire.ErrorResponse;
import dev.speckitty.protocol.wire.RefreshRequest;
import dev.speckitty.protocol.wire.SyncHealth;
import dev.speckitty.protocol.wire.TokenResponse;
import dev.speckitty.protocol.wire.WsTokenResponse;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * The team server's HTTP API as the daemon uses it: refresh, ws-token, batch upload, pull. One JDK
 * {@link HttpClient} (HTTP/1.1, keep-alive) per server, so batches reuse one connection and the CLI's
 * in-process fallback needs no Netty. Answers are read with a size cap and checked against the
 * contract; anything else is a {@link ServerCallException}. Thread-safe.
 */
public final class ServerClient implements AutoCloseable {
    /**
     * Largest answer read from the server: a full pull page of large events fits many times over. A
     * larger one is refused as {@link ServerCallException.Kind#ANSWER_TOO_LARGE} from its
     * {@code Content-Length}, or once this many bytes were read: never buffered whole.
     */
    public static final int MAX_ANSWER_BYTES = 64 * 1024 * 1024;
    /** Of an error answer only the reason is read; the rest of such a body is not worth memory. */
    static final int MAX_ERROR_BYTES = 64 * 1024;

    private final URI server;
    private final HttpClient http;
    private final Duration timeout;
    private final Clock time;

    public ServerClient(URI server, Duration timeout) {
        this(server, timeout, Clock.systemUTC());
    }

    public ServerClient(URI server, Duration timeout, Clock time) {
        this.server = server;
        this.timeout = timeout;
        this.time = time;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public URI server() {
        return server;
    }

    /** {@code POST /api/v1/token/refresh/}: new tokens for a refresh token (401 when it is expired or revoked). */
    public TokenResponse refresh(String refreshToken) {
        HttpRequest request = json(Api.TOKEN_REFRESH).POST(HttpRequest.BodyPublishers.ofByteArray(
                Json.writeBytes(new RefreshRequest(refreshToken)))).build();
        TokenResponse tokens = read(send(request, "refresh the access token"), TokenResponse.class, "token refresh");
        if (tokens.access() == null || tokens.refresh() == null) {
            throw badAnswer("token refresh", "no tokens in the answer", null);
        }
        return tokens;
    }

    /** {@code POST /api/v1/ws-token/}: a short-lived token for one WebSocket connection. */
    public WsTokenResponse wsToken(String access) {
        HttpRequest request = json(Api.WS_TOKEN).header("Authorization", "Bearer " + access)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        WsTokenResponse token = read(send(request, "get a WebSocket token"), WsTokenResponse.class, "ws-token");
        if (token.wsToken() == null) {
            throw badAnswer("ws-token", "no ws_token in the answer", null);
        }
        return token;
    }

    /** {@code POST /api/v1/events/batch/} with an already gzip-compressed {@code {"events": [...]}} body. */
    public BatchResponse upload(String access, byte[] gzippedBody, int events) {
        HttpRequest request = json(Api.EVENTS_BATCH)
                .header("Authorization", "Bearer " + access)
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzippedBody)).build();
        BatchResponse response = read(send(request, "upload " + events + (events == 1 ? " event" : " events")), BatchResponse.class, "batch upload");
        if (response.results().size() != events) {
            throw badAnswer("batch upload", response.results().size() + " results for " + events + " events", null);
        }
        return response;
    }

    /**
     * {@code GET /api/v1/events/?after=&limit=}: one page of the team's events in server order, read
     * with the streaming parser. Events are not validated here ({@link PulledEvent#parse}), so the
     * caller can recognise its own events coming back without building and checking a tree for each.
     */
    public PulledPage pull(String access, String after, int limit) {
        return pull(access, after, limit, java.util.Optional.empty());
    }

    /**
     * {@link #pull(String, String, int)}, leaving out the events of {@code skipNode} when given: the page
     * then tells each event's cursor ({@link PulledPage#cursors}), checked here against {@code after}
     * and {@code next_cursor}. A server that does not know {@code skip_node} answers a dense page.
     */
    public PulledPage pull(String access, String after, int limit, java.util.Optional<String> skipNode) {
        String skip = skipNode.map(n -> "&" + Api.PULL_SKIP_NODE_PARAM + "=" + java.net.URLEncoder.encode(n, java.nio.charset.StandardCharsets.UTF_8))
                .orElse("");
        HttpRequest request = HttpRequest.newBuilder(server.resolve(Api.EVENTS + "?after=" + after + "&limit=" + limit + skip))
                .timeout(timeout)
                .header("Authorization", "Bearer " + access)
                .GET().build();
        byte[] body = send(request, "pull events").body();
        PulledPage page;
        try {
            page = PullPageReader.read(body);
        } catch (IOException | IllegalArgumentException e) {
            throw badAnswer("pull", "the answer is not valid JSON of the expected shape (" + e.getMessage() + ")", e);
        }
        long next;
        try {
            next = Cursor.parse(page.nextCursor());
        } catch (IllegalArgumentException e) {
            throw badAnswer("pull", e.getMessage(), e);
        }
        if (page.cursors().isPresent()) {
            long[] at = page.cursors().get();
            if (at.length != page.events().size()) {
                throw badAnswer("pull", at.length + " cursors for " + page.events().size() + " events", null);
            }
            long previous = Cursor.parse(after);
            for (long p : at) {
                if (p <= previous || p > next) {
                    throw badAnswer("pull", "cursor " + p + " is not after " + previous + " and at most next_cursor " + next, null);
                }
                previous = p;
            }
        }
        return page;
    }

    /**
     * {@code GET /api/v1/sync/health/} (no token needed): the batch limits the server advertises; empty
     * when it has no such endpoint (a 2.x server answers 404) or advertises no usable limits, and the
     * caller keeps its defaults. Only positive values are taken.
     */
    public java.util.Optional<SyncHealth.Limits> syncLimits() {
        HttpRequest request = HttpRequest.newBuilder(server.resolve(Api.SYNC_HEALTH)).timeout(timeout).GET().build();
        Answer answer;
        try {
            answer = send(request, "read the server's limits");
        } catch (ServerCallException e) {
            if (e.status() == 404 || e.status() == 405) {
                return java.util.Optional.empty();
            }
            throw e;
        }
        SyncHealth health = read(answer, SyncHealth.class, "sync health");
        SyncHealth.Limits l = health.syncIngress() == null ? null : health.syncIngress().limits();
        if (l == null || l.maxEventsPerBatch() <= 0 || l.maxDecompressedBytesPerBatch() <= 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(l);
    }

    private HttpRequest.Builder json(String path) {
        return HttpRequest.newBuilder(server.resolve(path)).timeout(timeout).header("Content-Type", "application/json");
    }

    private Answer send(HttpRequest request, String what) {
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            boolean ok = response.statusCode() == 200;
            int cap = ok ? MAX_ANSWER_BYTES : MAX_ERROR_BYTES;
            byte[] body;
            // Closing the stream before its end drops the connection instead of reading the rest.
            try (InputStream in = response.body()) {
                OptionalLong declared = response.headers().firstValueAsLong("Content-Length");
                if (ok && declared.isPresent() && declared.getAsLong() > cap) {
                    throw answerTooLarge(what, declared.getAsLong() + " bytes, announced");
                }
                body = in.readNBytes(cap + 1);
            }
            if (body.length > cap) {
                if (ok) {
                    throw answerTooLarge(what, "more than " + cap + " bytes");
                }
                body = java.util.Arrays.copyOf(body, cap);
            }
            Answer answer = new Answer(response.statusCode(), body, response.headers().firstValue("Retry-After").orElse(null));
            return check(answer, what);
        } catch (javax.net.ssl.SSLException e) {
            // Not a network outage: retrying will not help until the certificate or the URL is fixed.
            throw new ServerCallException(ServerCallException.Kind.SERVER_ERROR, 0, false, "the TLS handshake with " + server
                    + " failed (" + dev.speckitty.protocol.Printable.withoutJavaTypes(String.valueOf(e.getMessage())) + "); check sync.server_url, or add the server's CA to the Java truststore", e);
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw unreachable(what, "connection refused or timed out", false, e);
        } catch (HttpTimeoutException e) {
            throw unreachable(what, "no answer within " + timeout.toSeconds() + " s", true, e);
        } catch (java.net.ProtocolException e) {
            // Reached, but what answered is not speaking HTTP: the same verdict as `sync status --check`.
            throw badAnswer(what, "the answer is not HTTP (" + dev.speckitty.protocol.Printable.clip(String.valueOf(e.getMessage()), 120)
                    + "); is sync.server_url a spec-kitty server?", e);
        } catch (IOException e) {
            throw unreachable(what, e.getMessage() == null ? e.getClass().getSimpleName()
                    : dev.speckitty.protocol.Printable.clip(e.getMessage(), 200), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(what, "interrupted", true, e);
        }
    }

    private Answer check(Answer answer, String what) {
        int status = answer.status();
        if (status == 200) {
            return answer;
        }
        String reason = reason(answer.body());
        String message = "cannot " + what + " on " + server + ": HTTP " + status + reason;
        if (status == 401) {
            throw new ServerCallException(ServerCallException.Kind.UNAUTHORIZED, status, true, message, null);
        }
        if (status == 403) {
            throw new ServerCallException(ServerCallException.Kind.FORBIDDEN, status, true, message, null);
        }
        if (status == 413) {
            throw new ServerCallException(ServerCallException.Kind.REQUEST_TOO_LARGE, status, false, message, null);
        }
        if (status == 429 || status == 503) {
            java.util.Optional<Duration> wait = RetryAfter.parse(answer.retryAfter(), time.instant());
            throw new ServerCallException(ServerCallException.Kind.SERVER_ERROR, status, true,
                    message + wait.map(w -> "; the server asked to retry after " + w.toSeconds() + " s").orElse(""), null, wait.orElse(null));
        }
        throw new ServerCallException(ServerCallException.Kind.SERVER_ERROR, status, true, message, null);
    }

    private <T> T read(Answer answer, Class<T> type, String what) {
        try {
            return Json.read(answer.body(), type);
        } catch (JsonException | IllegalArgumentException e) {
            throw badAnswer(what, "the answer is not valid JSON of the expected shape", e);
        }
    }

    private static String reason(byte[] body) {
        try {
            ErrorResponse error = Json.read(body, ErrorResponse.class);
            return error.error() == null ? "" : " (" + truncate(error.error()) + ")";
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static String truncate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private ServerCallException unreachable(String what, String reason, boolean mayHaveArrived, Throwable cause) {
        return new ServerCallException(ServerCallException.Kind.UNREACHABLE, 0, mayHaveArrived,
                "cannot reach " + server + " to " + what + " (" + reason + "); events stay queued", cause);
    }

    private ServerCallException answerTooLarge(String what, String size) {
        return new ServerCallException(ServerCallException.Kind.ANSWER_TOO_LARGE, 200, true, "the " + what + " answer from "
                + server + " is too large (" + size + "; expected: at most " + MAX_ANSWER_BYTES + " bytes)", null);
    }

    private ServerCallException badAnswer(String what, String problem, Throwable cause) {
        return new ServerCallException(ServerCallException.Kind.SERVER_ERROR, 200, true,
                "the " + what + " answer from " + server + " is unusable: " + problem + "; events stay queued", cause);
    }

    @Override
    public void close() {
        // The JDK client closes its idle connections when it is collected; nothing to release on 17.
    }

    /** A status, a body read within its cap, and the {@code Retry-After} header (null when absent). */
    private record Answer(int status, byte[] body, String retryAfter) {
    }
}
