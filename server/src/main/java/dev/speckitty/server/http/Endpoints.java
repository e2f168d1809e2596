package dev.speckitty.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.json.JsonException;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.BatchResponse;
import dev.speckitty.protocol.wire.Cursor;
import dev.speckitty.protocol.wire.ErrorDetail;
import dev.speckitty.protocol.wire.RefreshRequest;
import dev.speckitty.protocol.wire.TokenRequest;
import dev.speckitty.protocol.wire.TokenResponse;
import dev.speckitty.protocol.wire.WsTokenResponse;
import dev.speckitty.server.ServerOptions;
import dev.speckitty.server.store.Storage;
import dev.speckitty.server.store.TokenKind;
import dev.speckitty.server.store.User;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP API's blocking logic, one method per endpoint; {@link ApiHandler} runs it on the blocking
 * executor. Stateless apart from the stores it is given.
 */
public final class Endpoints {
    /**
     * A rotated refresh token stays usable this long: a client whose refresh answer was lost retries
     * with it instead of being logged out. Long enough for a retry, short for a thief.
     */
    static final java.time.Duration REFRESH_REUSE = java.time.Duration.ofSeconds(60);

    /** Path → the one method it answers. */
    static final Map<String, HttpMethod> ROUTES = Map.of(
            Api.TOKEN, HttpMethod.POST,
            Api.TOKEN_REFRESH, HttpMethod.POST,
            Api.WS_TOKEN, HttpMethod.POST,
            Api.EVENTS_BATCH, HttpMethod.POST,
            Api.EVENTS, HttpMethod.GET,
            Api.WEBSOCKET, HttpMethod.GET);

    private final Storage storage;
    private final ServerOptions options;
    private final Authenticator auth;

    public Endpoints(Storage storage, ServerOptions options) {
        this.storage = storage;
        this.options = options;
        this.auth = new Authenticator(storage.tokens(), options.clock());
    }

    public Authenticator authenticator() {
        return auth;
    }

    /** Answers one request (never null; errors become their JSON answer). */
    public Reply handle(Request req) {
        HttpMethod allowed = ROUTES.get(req.path());
        if (allowed == null) {
            return Reply.error(HttpResponseStatus.NOT_FOUND, "no such endpoint: " + req.path()
                    + " (this server answers under /api/v1/ and /ws/v1/events/)");
        }
        if (!allowed.equals(req.method())) {
            return Reply.error(HttpResponseStatus.METHOD_NOT_ALLOWED, req.method() + " " + req.path()
                    + " is not supported (expected: " + allowed + ")").withHeader("Allow", allowed.name());
        }
        try {
            switch (req.path()) {
                case Api.TOKEN:
                    return login(req);
                case Api.TOKEN_REFRESH:
                    return refresh(req);
                case Api.WS_TOKEN:
                    return wsToken(req);
                case Api.EVENTS_BATCH:
                    return batch(req);
                case Api.EVENTS:
                    return pull(req);
                default:
                    return Reply.error(HttpResponseStatus.BAD_REQUEST, req.path()
                            + " is a WebSocket endpoint: send an Upgrade: websocket request with Authorization: Bearer <ws token>");
            }
        } catch (ApiError e) {
            return e.reply();
        }
    }

    private Reply login(Request req) {
        TokenRequest body = readJson(req.body(), TokenRequest.class);
        if (body.username() == null || body.password() == null) {
            throw new ApiError(HttpResponseStatus.BAD_REQUEST, "body: expected {\"username\": ..., \"password\": ...}");
        }
        User user = storage.users().authenticate(body.username(), body.password())
                .orElseThrow(() -> new ApiError(HttpResponseStatus.UNAUTHORIZED, "wrong username or password"));
        return Reply.ok(tokensFor(user));
    }

    private Reply refresh(Request req) {
        RefreshRequest body = readJson(req.body(), RefreshRequest.class);
        if (body.refresh() == null || body.refresh().isEmpty()) {
            throw new ApiError(HttpResponseStatus.BAD_REQUEST, "body: expected {\"refresh\": \"<refresh token>\"}");
        }
        User user = storage.tokens().rotate(body.refresh(), REFRESH_REUSE)
                .orElseThrow(() -> new ApiError(HttpResponseStatus.UNAUTHORIZED,
                        "refresh token expired, revoked or unknown; log in again with your username and password"));
        return Reply.ok(tokensFor(user));
    }

    private TokenResponse tokensFor(User user) {
        String access = storage.tokens().issue(user.username(), TokenKind.ACCESS, options.accessTtl());
        String refresh = storage.tokens().issue(user.username(), TokenKind.REFRESH, options.refreshTtl());
        return new TokenResponse(access, refresh, options.accessTtl().toSeconds(), options.refreshTtl().toSeconds(), user.team());
    }

    private Reply wsToken(Request req) {
        User user = auth.access(req.authorization());
        String ws = storage.tokens().issue(user.username(), TokenKind.WS, options.wsTokenTtl());
        return Reply.ok(new WsTokenResponse(ws, options.wsTokenTtl().toSeconds()));
    }

    private Reply batch(Request req) {
        User user = auth.access(req.authorization());
        if (req.contentEncoding().filter(e -> e.trim().equalsIgnoreCase("gzip")).isEmpty()) {
            throw new ApiError(HttpResponseStatus.BAD_REQUEST, "body: expected Content-Encoding: gzip (got "
                    + req.contentEncoding().orElse("none") + "); compress the JSON body with gzip");
        }
        byte[] json = GzipBody.inflate(req.body(), options.limits().maxDecompressedBody());
        JsonNode root;
        try {
            root = Json.tree(json);
        } catch (JsonException e) {
            return malformed("body: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            return malformed("body: expected a JSON object {\"events\": [...]}");
        }
        JsonNode events = root.get("events");
        if (events == null || !events.isArray()) {
            return malformed("body: \"events\" must be an array (expected: {\"events\": [...]})");
        }
        if (events.size() > Api.MAX_BATCH_EVENTS) {
            throw new ApiError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "events: " + events.size()
                    + " (expected: at most " + Api.MAX_BATCH_EVENTS + " per batch); split the upload");
        }
        List<JsonNode> raw = new ArrayList<>(events.size());
        events.forEach(raw::add);
        if (raw.isEmpty()) {
            return Reply.ok(new BatchResponse(List.of()));
        }
        return Reply.ok(new BatchResponse(storage.events().ingest(user.team(), raw)));
    }

    private Reply pull(Request req) {
        User user = auth.access(req.authorization());
        long after;
        try {
            after = Cursor.parse(req.param("after").orElse(Cursor.START));
        } catch (IllegalArgumentException e) {
            throw new ApiError(HttpResponseStatus.BAD_REQUEST, "after: " + e.getMessage());
        }
        int limit = limit(req.param("limit"));
        return Reply.okJson(storage.events().pullStored(user.team(), after, limit).json());
    }

    private static int limit(Optional<String> value) {
        if (value.isEmpty()) {
            return Api.MAX_PULL_LIMIT;
        }
        try {
            int n = Integer.parseInt(value.get());
            if (n >= 1 && n <= Api.MAX_PULL_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the one message for every bad value
        }
        throw new ApiError(HttpResponseStatus.BAD_REQUEST, "limit: " + value.get() + " (expected: 1.." + Api.MAX_PULL_LIMIT + ")");
    }

    private static Reply malformed(String reason) {
        return Reply.error(HttpResponseStatus.BAD_REQUEST, "malformed batch body", List.of(new ErrorDetail(null, reason)));
    }

    private static <T> T readJson(byte[] body, Class<T> type) {
        try {
            JsonNode tree = Json.tree(body);
            if (tree == null || !tree.isObject()) {
                throw new ApiError(HttpResponseStatus.BAD_REQUEST, "body: expected a JSON object");
            }
            return Json.convert(tree, type);
        } catch (JsonException e) {
            throw new ApiError(HttpResponseStatus.BAD_REQUEST, "body: " + e.getMessage());
        }
    }
}
