package dev.speckitty.protocol.wire;

/** Paths, headers and limits of the team server's HTTP and WebSocket API, shared by client and server. */
public final class Api {
    public static final String TOKEN = "/api/v1/token/";
    public static final String TOKEN_REFRESH = "/api/v1/token/refresh/";
    public static final String WS_TOKEN = "/api/v1/ws-token/";
    public static final String EVENTS_BATCH = "/api/v1/events/batch/";
    public static final String EVENTS = "/api/v1/events/";
    public static final String WEBSOCKET = "/ws/v1/events/";

    /** spec-kitty 3.x: the server's limits, read before uploading ({@link SyncHealth}). */
    public static final String SYNC_HEALTH = "/api/v1/sync/health/";
    /** spec-kitty 3.x: a ws token for {@code {"team_id"}}, answered with the socket's URL ({@link WsTokenGrant}); no trailing slash. */
    public static final String WS_TOKEN_V3 = "/api/v1/ws-token";
    /** spec-kitty 3.x: who the access token belongs to ({@link MeResponse}). */
    public static final String ME = "/api/v1/me";
    /** OAuth 2.0 (RFC 8628, RFC 6749 with RFC 7636, RFC 7009); form-encoded requests. */
    public static final String OAUTH_DEVICE = "/oauth/device";
    public static final String OAUTH_TOKEN = "/oauth/token";
    public static final String OAUTH_AUTHORIZE = "/oauth/authorize";
    public static final String OAUTH_REVOKE = "/oauth/revoke";
    /** The page where a user signs in and approves or denies a device code. */
    public static final String DEVICE_PAGE = "/device";

    /** The one OAuth client this server knows: the spec-kitty CLI (3.x and ours), a public native client. */
    public static final String OAUTH_CLIENT_ID = "cli_native";
    public static final String OAUTH_SCOPE = "offline_access";
    public static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

    /** The team a 3.x client means (its Private Teamspace id, here the team slug); checked against the token's team. */
    public static final String TEAM_HEADER = "X-Team-Slug";
    /** The query parameter of the ws URL handed to 3.x clients: their session starts with a snapshot frame. */
    public static final String WS_GENERATION_PARAM = "v";
    /**
     * The WebSocket query parameter naming the client's node ({@code ?node_id=<node>}): the server does
     * not send that session the events of that node. A 2.x client sends none and gets every event.
     */
    public static final String WS_NODE_PARAM = "node_id";
    /** The pull query parameter ({@code skip_node=<node>}) leaving out that node's events; the page then tells each event's cursor. */
    public static final String PULL_SKIP_NODE_PARAM = "skip_node";
    /**
     * How many positions one pull with {@code skip_node} examines at most: past them a page answers
     * {@code has_more} with {@code next_cursor} at the last examined, so a long run of the caller's own
     * events never makes one request scan without end.
     */
    public static final int MAX_PULL_SCAN = 50_000;

    /** Most events in one batch upload and in one pull page. */
    public static final int MAX_BATCH_EVENTS = 1000;
    public static final int MAX_PULL_LIMIT = 1000;

    /**
     * The most bytes of event JSON the reference server puts in one pull page (4 MiB); a page always
     * carries at least one event, whatever its size, so a reader makes progress.
     */
    public static final int MAX_PULL_PAGE_BYTES = 4 << 20;

    private Api() {
    }
}
