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
import dev.speckitty.server.store.Principal;
import dev.speckitty.server.store.ReceivedEvent;
import dev.speckitty.server.store.Refresh;
import dev.speckitty.server.store.TokenPair;
import dev.speckitty.server.store.TokenStore;
import dev.speckitty.server.store.User;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API's blocking logic, one method per endpoint; {@link ApiHandler} runs it on the blocking
 * executor. Stateless apart from the stores it is given.
 */
public final class Endpoints {
    private static final Logger LOG = LoggerFactory.getLogger(Endpoints.class);
    /** The most bytes a request body may hold on the endpoints that take small JSON (all but the batch). */
    static final int MAX_SMALL_BODY = 64 * 1024;

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
            return Reply.error(HttpResponseStatus.NOT_FOUND, "no such endpoint: " + Clip.echo(req.path())
                    + " (this server answers under /api/v1/ and /ws/v1/events/)");
        }
        if (!allowed.equals(req.method())) {
            return Reply.error(HttpResponseStatus.METHOD_NOT_ALLOWED, Clip.echo(req.method().name()) + " " + Clip.echo(req.path())
                    + " is not supported (expected: " + allowed + ")")
                    .withHeader("Allow", allowed.name());
        }
        try {
            if (!req.path().equals(Api.EVENTS_BATCH)) {
                requireSmallBody(req);
            }
            switch (req.path()) {
                case Api.TOKEN:
                    return login(loginRequest(req));
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

    /** The body of a login, or the 400 (or 413) refusing it. */
    TokenRequest loginRequest(Request req) {
        requireSmallBody(req);
        String shape = "{\"username\": \"...\", \"password\": \"...\"}";
        TokenRequest body = readJson(req.body(), TokenRequest.class, shape);
        if (body.username() == null || body.password() == null) {
            throw new ApiError(HttpResponseStatus.BAD_REQUEST, "body: expected " + shape);
        }
        return body;
    }

    /** Checks the password (PBKDF2: run it on the login executor) and answers the tokens, or 401. */
    Reply login(TokenRequest body) {
        try {
            User user = storage.users().authenticate(body.username(), body.password())
                    .orElseThrow(() -> new ApiError(HttpResponseStatus.UNAUTHORIZED, "wrong username or password"));
            return Reply.ok(response(storage.tokens().login(user.username(), options.accessTtl(), options.refreshTtl()), user));
        } catch (ApiError e) {
            return e.reply();
        }
    }

    private Reply refresh(Request req) {
        RefreshRequest body = readJson(req.body(), RefreshRequest.class, "{\"refresh\": \"<refresh token>\"}");
        if (body.refresh() == null || body.refresh().isEmpty()) {
            throw new ApiError(HttpResponseStatus.BAD_REQUEST, "body: expected {\"refresh\": \"<refresh token>\"}");
        }
        Refresh outcome = storage.tokens().refresh(body.refresh(), options.accessTtl(), options.refreshTtl());
        if (outcome instanceof Refresh.Renewed renewed) {
            return Reply.ok(response(renewed.tokens(), renewed.user()));
        }
        if (outcome instanceof Refresh.Reused) {
            LOG.warn("a refresh token was presented again {} s after it was rotated: its login's tokens are revoked",
                    TokenStore.REFRESH_GRACE.toSeconds());
            throw new ApiError(HttpResponseStatus.UNAUTHORIZED, "refresh token already used: it was replaced more than "
                    + TokenStore.REFRESH_GRACE.toSeconds() + " s ago, so every token of this login is now revoked (a copy may "
                    + "have been stolen); log in again with your username and password");
        }
        throw new ApiError(HttpResponseStatus.UNAUTHORIZED,
                "refresh token expired, revoked or unknown; log in again with your username and password");
    }

    private static TokenResponse response(TokenPair tokens, User user) {
        return new TokenResponse(tokens.access(), tokens.refresh(), tokens.accessSeconds(), tokens.refreshSeconds(), user.team());
    }

    private Reply wsToken(Request req) {
        Principal principal = auth.access(req.authorization());
        String ws = storage.tokens().issueWs(principal, options.wsTokenTtl());
        return Reply.ok(new WsTokenResponse(ws, options.wsTokenTtl().toSeconds()));
    }

    private Reply batch(Request req) {
        User user = auth.access(req.authorization()).user();
        if (req.contentEncoding().filter(e -> e.trim().equalsIgnoreCase("gzip")).isEmpty()) {
            throw new ApiError(HttpResponseStatus.BAD_REQUEST, "body: expected Content-Encoding: gzip (got "
                    + Clip.echo(req.contentEncoding().orElse("none")) + "); compress the JSON body with gzip");
        }
        byte[] json = GzipBody.inflate(req.body(), options.limits().maxDecompressedBody());
        List<ReceivedEvent> received;
        try {
            // Each event keeps the text it had in the body: that text is stored and served, byte for byte.
            received = BatchEvents.split(json, Api.MAX_BATCH_EVENTS);
        } catch (BatchEvents.Malformed e) {
            return malformed(e.getMessage());
        } catch (BatchEvents.TooMany e) {
            throw new ApiError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, e.getMessage());
        }
        if (received.isEmpty()) {
            return Reply.ok(new BatchResponse(List.of()));
        }
        return Reply.ok(new BatchResponse(storage.events().ingestReceived(user.team(), received)));
    }

    private Reply pull(Request req) {
        User user = auth.access(req.authorization()).user();
        String cursor = req.param("after").orElse(Cursor.START);
        long after;
        try {
            after = Cursor.parse(cursor);
        } catch (IllegalArgumentException e) {
            throw new ApiError(HttpResponseStatus.BAD_REQUEST, "after: cursor: '" + Clip.echo(cursor)
                    + "' (expected: a cursor returned by the server)");
        }
        int limit = limit(req.param("limit"));
        return Reply.okJson(storage.events().pullStored(user.team(), after, limit, options.limits().maxPullPageBytes()).json());
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
        throw new ApiError(HttpResponseStatus.BAD_REQUEST, "limit: " + Clip.echo(value.get()) + " (expected: 1.."
                + Api.MAX_PULL_LIMIT + ")");
    }

    private static void requireSmallBody(Request req) {
        if (req.body().length > MAX_SMALL_BODY) {
            throw new ApiError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "body: " + req.body().length
                    + " bytes (expected: at most " + MAX_SMALL_BODY + " on " + req.path() + ")");
        }
    }

    private static Reply malformed(String reason) {
        return Reply.error(HttpResponseStatus.BAD_REQUEST, "malformed batch body", List.of(new ErrorDetail(null, reason)));
    }

    /** The body as {@code type}; {@code shape} says what was expected when it is not (Jackson's own words name Java types). */
    private static <T> T readJson(byte[] body, Class<T> type, String shape) {
        JsonNode tree;
        try {
            tree = Json.tree(body);
        } catch (JsonException e) {
            throw new ApiError(HttpResponseStatus.BAD_REQUEST, "body: " + Clip.of(e.getMessage(), 100) + " (expected: " + shape + ")");
        }
        if (tree == null || !tree.isObject()) {
            throw new ApiError(HttpResponseStatus.BAD_REQUEST, "body: not a JSON object (expected: " + shape + ")");
        }
        try {
            return Json.convert(tree, type);
        } catch (JsonException e) {
            throw new ApiError(HttpResponseStatus.BAD_REQUEST, "body: members of the wrong type (expected: " + shape + ")");
        }
    }
}
