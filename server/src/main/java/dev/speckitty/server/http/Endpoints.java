package dev.speckitty.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.json.JsonException;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.BatchResponse;
import dev.speckitty.protocol.wire.Cursor;
import dev.speckitty.protocol.wire.ErrorDetail;
import dev.speckitty.protocol.wire.MeResponse;
import dev.speckitty.protocol.wire.OAuthError;
import dev.speckitty.protocol.wire.SyncHealth;
import dev.speckitty.protocol.wire.WsTokenGrant;
import dev.speckitty.protocol.event.EventLimits;
import dev.speckitty.protocol.Version;
import dev.speckitty.protocol.wire.RefreshRequest;
import dev.speckitty.protocol.wire.TokenRequest;
import dev.speckitty.protocol.wire.TokenResponse;
import dev.speckitty.protocol.wire.WsTokenResponse;
import dev.speckitty.server.ServerOptions;
import dev.speckitty.server.oauth.OAuthEndpoints;
import dev.speckitty.server.oauth.OAuthOptions;
import dev.speckitty.server.oauth.PublicUrl;
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
            Api.WEBSOCKET, HttpMethod.GET,
            Api.SYNC_HEALTH, HttpMethod.GET,
            Api.WS_TOKEN_V3, HttpMethod.POST,
            Api.ME, HttpMethod.GET);

    /** The {@code Retry-After} range this server sends (logins wait at most a minute; overload 5 s). */
    static final int RETRY_AFTER_MIN_SECONDS = 1;
    static final int RETRY_AFTER_MAX_SECONDS = 60;

    private final Storage storage;
    private final ServerOptions options;
    private final Authenticator auth;
    private final OAuthOptions oauthOptions;
    private final OAuthEndpoints oauth;

    public Endpoints(Storage storage, ServerOptions options) {
        this(storage, options, OAuthOptions.defaults());
    }

    public Endpoints(Storage storage, ServerOptions options, OAuthOptions oauthOptions) {
        this.storage = storage;
        this.options = options;
        this.auth = new Authenticator(storage.tokens(), options.clock());
        this.oauthOptions = oauthOptions;
        this.oauth = new OAuthEndpoints(storage, options, oauthOptions);
    }

    /** The OAuth endpoints and sign-in pages (their password checks run on the login executor, see {@link Logins}). */
    public OAuthEndpoints oauth() {
        return oauth;
    }

    public Authenticator authenticator() {
        return auth;
    }

    /** Answers one request (never null; errors become their JSON answer). */
    public Reply handle(Request req) {
        if (OAuthEndpoints.serves(req.path())) {
            return oauth.handle(req);
        }
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
                case Api.WS_TOKEN_V3:
                    return wsTokenV3(req);
                case Api.SYNC_HEALTH:
                    return health(req);
                case Api.ME:
                    return me(req);
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

    /**
     * The account of the request's access token, refusing (403) an {@code X-Team-Slug} header that
     * names another team than the token's: a 3.x client sends the team it means, and must not write
     * into another team's stream believing it is its own. An empty header is no header.
     */
    private Principal member(Request req) {
        Principal principal = auth.access(req.authorization());
        checkTeam(req, principal.user());
        return principal;
    }

    private static void checkTeam(Request req, User user) {
        Optional<String> team = req.header("x-team-slug").map(String::trim).filter(t -> !t.isEmpty());
        if (team.isPresent() && !team.get().equals(user.team())) {
            throw new ApiError(HttpResponseStatus.FORBIDDEN, Api.TEAM_HEADER + ": '" + Clip.echo(team.get())
                    + "' is not the team of this token (user '" + user.username() + "' belongs to team '" + user.team()
                    + "'); send " + Api.TEAM_HEADER + ": " + user.team() + " or log in as a member of that team");
        }
    }

    /**
     * The limits a client batches by. Without a token it answers too (a client asks before logging in
     * which login methods exist); with one, the token and the team header must be right.
     */
    private Reply health(Request req) {
        if (req.authorization().isPresent()) {
            member(req);
        }
        long bytes = Math.min(options.limits().maxDecompressedBody(),
                // gzip of incompressible JSON is a little larger than the JSON: leave that room under the compressed cap
                options.limits().maxCompressedBody() - options.limits().maxCompressedBody() / 64L);
        SyncHealth.Limits limits = new SyncHealth.Limits(Api.MAX_BATCH_EVENTS, bytes, EventLimits.MAX_EVENT_BYTES,
                RETRY_AFTER_MIN_SECONDS, RETRY_AFTER_MAX_SECONDS);
        return Reply.ok(new SyncHealth("ok", Version.current(), new SyncHealth.SyncIngress(limits),
                List.of(SyncHealth.AUTH_PASSWORD, SyncHealth.AUTH_DEVICE_CODE, SyncHealth.AUTH_AUTHORIZATION_CODE)));
    }

    /** {@code GET /api/v1/me}: the account, its one team as its private teamspace. */
    private Reply me(Request req) {
        User user = member(req).user();
        return Reply.ok(new MeResponse(user.username(), user.username(), user.username(),
                List.of(new MeResponse.Team(user.team(), user.team(), "owner", true)), null));
    }

    /**
     * {@code POST /api/v1/ws-token} as 3.x sends it: {@code {"team_id"}} must be the token's team (403
     * {@code not_a_team_member} otherwise); the answer names the socket URL, marked for a 3.x session.
     */
    private Reply wsTokenV3(Request req) {
        Principal principal = member(req);
        if (req.body().length > 0) {
            JsonNode body;
            try {
                body = Json.tree(req.body());
            } catch (JsonException e) {
                throw new ApiError(HttpResponseStatus.BAD_REQUEST, "body: " + Clip.of(e.getMessage(), 100)
                        + " (expected: {\"team_id\": \"<team>\"})");
            }
            if (body == null || !body.isObject()) {
                throw new ApiError(HttpResponseStatus.BAD_REQUEST, "body: not a JSON object (expected: {\"team_id\": \"<team>\"})");
            }
            JsonNode team = body.get("team_id");
            if (team != null && !team.isNull() && !(team.isTextual() && team.asText().equals(principal.user().team()))) {
                return new Reply(HttpResponseStatus.FORBIDDEN, new OAuthError("not_a_team_member", "team_id: '"
                        + Clip.echo(team.asText()) + "' is not the team of user '" + principal.user().username() + "' (its team is '"
                        + principal.user().team() + "')"), Map.of());
            }
        }
        String base = PublicUrl.of(oauthOptions.publicUrl(), options.tls().isPresent(), req.header("host"))
                .orElseThrow(() -> new ApiError(HttpResponseStatus.BAD_REQUEST,
                        "Host header missing or malformed: send Host: <server name>[:port], or start the server with --public-url"));
        String ws = storage.tokens().issueWs(principal, options.wsTokenTtl());
        String url = PublicUrl.websocket(base) + Api.WEBSOCKET + "?" + Api.WS_GENERATION_PARAM + "=3";
        return Reply.ok(new WsTokenGrant(ws, url, options.wsTokenTtl().toSeconds(), OAuthEndpoints.sessionId(principal.family())));
    }

    private Reply wsToken(Request req) {
        Principal principal = member(req);
        String ws = storage.tokens().issueWs(principal, options.wsTokenTtl());
        return Reply.ok(new WsTokenResponse(ws, options.wsTokenTtl().toSeconds()));
    }

    private Reply batch(Request req) {
        User user = member(req).user();
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
        User user = member(req).user();
        String cursor = req.param("after").orElse(Cursor.START);
        long after;
        try {
            after = Cursor.parse(cursor);
        } catch (IllegalArgumentException e) {
            throw new ApiError(HttpResponseStatus.BAD_REQUEST, "after: cursor: '" + Clip.echo(cursor)
                    + "' (expected: a cursor returned by the server)");
        }
        int limit = limit(req.param("limit"));
        Optional<String> skip = req.param(Api.PULL_SKIP_NODE_PARAM);
        if (skip.isPresent()) {
            // Without the caller's own events: the page then tells each event's cursor (docs/PROTOCOL.md, Cursors).
            return Reply.okJson(storage.events().pullSkipping(user.team(), after, limit, options.limits().maxPullPageBytes(),
                    node(skip.get())).json());
        }
        return Reply.okJson(storage.events().pullStored(user.team(), after, limit, options.limits().maxPullPageBytes()).json());
    }

    /** A {@code skip_node} value: a node id as events carry it. */
    private static String node(String value) {
        if (!dev.speckitty.protocol.event.Patterns.NODE_ID.matcher(value).matches()) {
            throw new ApiError(HttpResponseStatus.BAD_REQUEST, Api.PULL_SKIP_NODE_PARAM + ": '" + Clip.echo(value)
                    + "' (expected: a node id, 1-64 of A-Z a-z 0-9 _ -)");
        }
        return value;
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
