package dev.speckitty.protocol.wire;

/** Paths, headers and limits of the team server's HTTP and WebSocket API, shared by client and server. */
public final class Api {
    public static final String TOKEN = "/api/v1/token/";
    public static final String TOKEN_REFRESH = "/api/v1/token/refresh/";
    public static final String WS_TOKEN = "/api/v1/ws-token/";
    public static final String EVENTS_BATCH = "/api/v1/events/batch/";
    public static final String EVENTS = "/api/v1/events/";
    public static final String WEBSOCKET = "/ws/v1/events/";

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
