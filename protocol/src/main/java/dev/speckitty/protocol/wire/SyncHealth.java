package dev.speckitty.protocol.wire;

import java.util.List;

/**
 * The answer of {@code GET /api/v1/sync/health/}: the server's ingest limits in the shape spec-kitty
 * 3.x reads ({@code sync_ingress.limits}), and the login methods it offers, so a client picks OAuth
 * or the password login without trying both.
 */
public record SyncHealth(String status, String serverVersion, SyncIngress syncIngress, List<String> authMethods) {
    /** The login methods as advertised. */
    public static final String AUTH_PASSWORD = "password";
    public static final String AUTH_DEVICE_CODE = "device_code";
    public static final String AUTH_AUTHORIZATION_CODE = "authorization_code";

    public SyncHealth {
        authMethods = authMethods == null ? List.of() : List.copyOf(authMethods);
    }

    /** The {@code sync_ingress} member. */
    public record SyncIngress(Limits limits) {
    }

    /**
     * What one batch may hold: events, bytes of event JSON before gzip, bytes of one event; and the
     * range of {@code Retry-After} the server sends.
     */
    public record Limits(int maxEventsPerBatch, long maxDecompressedBytesPerBatch, int maxEventBytes, int retryAfterMinSeconds,
            int retryAfterMaxSeconds) {
    }
}
