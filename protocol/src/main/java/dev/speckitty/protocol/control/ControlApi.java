package dev.speckitty.protocol.control;

/**
 * The daemon's local control API: HTTP/1.1 + JSON over the Unix socket. Paths are versioned; every
 * response carries the daemon's version in {@link #VERSION_HEADER}.
 */
public final class ControlApi {
    public static final String STATUS = "/v1/status";
    /** GET: {@link DaemonInfo}, which daemon runs, without counting the queue as {@link #STATUS} does. */
    public static final String DAEMON = "/v1/daemon";
    /** POST: runs a sync; answers NDJSON {@link SyncUpdate} lines, the last one a summary. */
    public static final String SYNC = "/v1/sync";
    /** POST {@link EnqueueRequest}: answers {@link EnqueueResponse}. */
    public static final String EVENTS = "/v1/events";
    public static final String METRICS = "/v1/metrics";
    public static final String SHUTDOWN = "/v1/shutdown";
    /** GET: parked events; POST {@code /v1/parked/retry} or {@code /v1/parked/discard} with {@link ParkedAction}. */
    public static final String PARKED = "/v1/parked";
    public static final String PARKED_RETRY = "/v1/parked/retry";
    public static final String PARKED_DISCARD = "/v1/parked/discard";

    public static final String VERSION_HEADER = "X-Spec-Kitty-Version";
    public static final String NDJSON = "application/x-ndjson";

    private ControlApi() {
    }
}
