package dev.speckitty.daemon.control;

import java.time.Duration;

/**
 * The control socket's bounds on its clients: a connection must deliver a whole request (head and
 * body) within {@code requestTimeout} of connecting or of its last answer, or it is closed (a reply
 * being produced or streamed, such as {@code POST /v1/sync}'s progress, is not idle time); at most
 * {@code maxConnections} are open at once, and one past that is answered 503 and closed.
 */
public record ControlLimits(Duration requestTimeout, int maxConnections) {
    /** System property: the request timeout in milliseconds (tests shorten it). */
    public static final String TIMEOUT_PROPERTY = "spec-kitty.control.request-timeout-ms";
    /** System property: the most connections open at once. */
    public static final String CONNECTIONS_PROPERTY = "spec-kitty.control.max-connections";
    public static final ControlLimits DEFAULTS = new ControlLimits(Duration.ofSeconds(10), 64);

    public ControlLimits {
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout: " + requestTimeout + " (expected: > 0)");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected: >= 1)");
        }
    }

    /** {@link #DEFAULTS}, with what the system properties set instead. */
    public static ControlLimits fromSystemProperties() {
        Long ms = Long.getLong(TIMEOUT_PROPERTY);
        Integer max = Integer.getInteger(CONNECTIONS_PROPERTY);
        return new ControlLimits(ms == null || ms <= 0 ? DEFAULTS.requestTimeout() : Duration.ofMillis(ms),
                max == null || max < 1 ? DEFAULTS.maxConnections() : max);
    }
}
