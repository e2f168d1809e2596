package dev.speckitty.server;

import dev.speckitty.protocol.wire.Api;
import java.time.Duration;

/**
 * The server's resource caps (docs/SECURITY.md lists them with what each refusal looks like).
 * Defaults: compressed body 4 MiB, decompressed body 32 MiB, WebSocket frame 64 KiB, 1024 connections
 * of which at most 64 from one address, 10 s for a new connection's first request, 30 s to read a
 * request (also the idle time of a keep-alive connection), pull pages of at most 4 MiB of event JSON,
 * and 16 MiB of fan-out a WebSocket client may fall behind.
 */
public record ServerLimits(
        int maxCompressedBody,
        long maxDecompressedBody,
        int maxWsFrame,
        int maxConnections,
        Duration requestReadTimeout,
        int maxConnectionsPerAddress,
        Duration firstRequestTimeout,
        int maxPullPageBytes,
        int maxWsBacklog) {

    public ServerLimits {
        positive("maxCompressedBody", maxCompressedBody);
        positive("maxDecompressedBody", maxDecompressedBody);
        positive("maxWsFrame", maxWsFrame);
        positive("maxConnections", maxConnections);
        positive("requestReadTimeout", requestReadTimeout);
        positive("maxConnectionsPerAddress", maxConnectionsPerAddress);
        positive("firstRequestTimeout", firstRequestTimeout);
        positive("maxPullPageBytes", maxPullPageBytes);
        positive("maxWsBacklog", maxWsBacklog);
    }

    public static ServerLimits defaults() {
        return new ServerLimits(4 << 20, 32L << 20, 64 << 10, 1024, Duration.ofSeconds(30), 64, Duration.ofSeconds(10),
                Api.MAX_PULL_PAGE_BYTES, 16 << 20);
    }

    public ServerLimits withMaxCompressedBody(int v) {
        return new ServerLimits(v, maxDecompressedBody, maxWsFrame, maxConnections, requestReadTimeout, maxConnectionsPerAddress,
                firstRequestTimeout, maxPullPageBytes, maxWsBacklog);
    }

    public ServerLimits withMaxDecompressedBody(long v) {
        return new ServerLimits(maxCompressedBody, v, maxWsFrame, maxConnections, requestReadTimeout, maxConnectionsPerAddress,
                firstRequestTimeout, maxPullPageBytes, maxWsBacklog);
    }

    public ServerLimits withMaxWsFrame(int v) {
        return new ServerLimits(maxCompressedBody, maxDecompressedBody, v, maxConnections, requestReadTimeout, maxConnectionsPerAddress,
                firstRequestTimeout, maxPullPageBytes, maxWsBacklog);
    }

    public ServerLimits withMaxConnections(int v) {
        return new ServerLimits(maxCompressedBody, maxDecompressedBody, maxWsFrame, v, requestReadTimeout, maxConnectionsPerAddress,
                firstRequestTimeout, maxPullPageBytes, maxWsBacklog);
    }

    public ServerLimits withRequestReadTimeout(Duration v) {
        return new ServerLimits(maxCompressedBody, maxDecompressedBody, maxWsFrame, maxConnections, v, maxConnectionsPerAddress,
                firstRequestTimeout, maxPullPageBytes, maxWsBacklog);
    }

    /** Connections one client address may hold open; sized for a team behind one NAT (about three per daemon). */
    public ServerLimits withMaxConnectionsPerAddress(int v) {
        return new ServerLimits(maxCompressedBody, maxDecompressedBody, maxWsFrame, maxConnections, requestReadTimeout, v,
                firstRequestTimeout, maxPullPageBytes, maxWsBacklog);
    }

    /** How long a new connection may take to send its first request head (TLS handshake included). */
    public ServerLimits withFirstRequestTimeout(Duration v) {
        return new ServerLimits(maxCompressedBody, maxDecompressedBody, maxWsFrame, maxConnections, requestReadTimeout,
                maxConnectionsPerAddress, v, maxPullPageBytes, maxWsBacklog);
    }

    /** The most bytes of event JSON in one pull page; a page holds at least one event whatever its size. */
    public ServerLimits withMaxPullPageBytes(int v) {
        return new ServerLimits(maxCompressedBody, maxDecompressedBody, maxWsFrame, maxConnections, requestReadTimeout,
                maxConnectionsPerAddress, firstRequestTimeout, v, maxWsBacklog);
    }

    /** The unwritten fan-out a WebSocket session may hold before it is cut off (it reconnects and pulls). */
    public ServerLimits withMaxWsBacklog(int v) {
        return new ServerLimits(maxCompressedBody, maxDecompressedBody, maxWsFrame, maxConnections, requestReadTimeout,
                maxConnectionsPerAddress, firstRequestTimeout, maxPullPageBytes, v);
    }

    private static void positive(String name, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + ": " + v + " (expected: > 0)");
        }
    }

    private static void positive(String name, Duration v) {
        if (v == null || v.isNegative() || v.isZero()) {
            throw new IllegalArgumentException(name + ": " + v + " (expected: > 0)");
        }
    }
}
