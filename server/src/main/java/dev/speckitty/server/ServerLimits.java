package dev.speckitty.server;

import java.time.Duration;

/**
 * The server's resource caps. Defaults: compressed body 4 MiB, decompressed body 32 MiB, WebSocket
 * frame 64 KiB, 1024 connections, 30 s to read a request (also the idle time of a keep-alive connection).
 */
public record ServerLimits(
        int maxCompressedBody,
        long maxDecompressedBody,
        int maxWsFrame,
        int maxConnections,
        Duration requestReadTimeout) {

    public ServerLimits {
        positive("maxCompressedBody", maxCompressedBody);
        positive("maxDecompressedBody", maxDecompressedBody);
        positive("maxWsFrame", maxWsFrame);
        positive("maxConnections", maxConnections);
        if (requestReadTimeout == null || requestReadTimeout.isNegative() || requestReadTimeout.isZero()) {
            throw new IllegalArgumentException("requestReadTimeout: " + requestReadTimeout + " (expected: > 0)");
        }
    }

    public static ServerLimits defaults() {
        return new ServerLimits(4 << 20, 32L << 20, 64 << 10, 1024, Duration.ofSeconds(30));
    }

    public ServerLimits withMaxCompressedBody(int v) {
        return new ServerLimits(v, maxDecompressedBody, maxWsFrame, maxConnections, requestReadTimeout);
    }

    public ServerLimits withMaxDecompressedBody(long v) {
        return new ServerLimits(maxCompressedBody, v, maxWsFrame, maxConnections, requestReadTimeout);
    }

    public ServerLimits withMaxWsFrame(int v) {
        return new ServerLimits(maxCompressedBody, maxDecompressedBody, v, maxConnections, requestReadTimeout);
    }

    public ServerLimits withMaxConnections(int v) {
        return new ServerLimits(maxCompressedBody, maxDecompressedBody, maxWsFrame, v, requestReadTimeout);
    }

    public ServerLimits withRequestReadTimeout(Duration v) {
        return new ServerLimits(maxCompressedBody, maxDecompressedBody, maxWsFrame, maxConnections, v);
    }

    private static void positive(String name, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + ": " + v + " (expected: > 0)");
        }
    }
}
