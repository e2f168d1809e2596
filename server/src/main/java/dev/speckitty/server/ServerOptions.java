package dev.speckitty.server;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * How to run a {@link TeamServer}: where to listen, where the data lives, token lifetimes, WebSocket
 * liveness timers, the clock (injected so tests can expire tokens), limits and optional TLS.
 */
public record ServerOptions(
        String host,
        int port,
        Path dataDir,
        Duration accessTtl,
        Duration refreshTtl,
        Duration wsTokenTtl,
        Duration pingInterval,
        Duration pongTimeout,
        Clock clock,
        ServerLimits limits,
        Optional<TlsFiles> tls) {

    /** A PEM certificate chain and its PKCS#8 private key. */
    public record TlsFiles(Path certificate, Path privateKey) {
    }

    public ServerOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535, 0 = any free port)");
        }
        tls = tls == null ? Optional.empty() : tls;
    }

    /** 127.0.0.1 on a free port, default lifetimes (access 1 h, refresh 30 days, ws 60 s), ping 15 s, pong timeout 45 s. */
    public static ServerOptions loopback(Path dataDir) {
        return new ServerOptions("127.0.0.1", 0, dataDir, Duration.ofMinutes(15), Duration.ofDays(7), Duration.ofSeconds(60),
                Duration.ofSeconds(15), Duration.ofSeconds(45), Clock.systemUTC(), ServerLimits.defaults(), Optional.empty());
    }

    public ServerOptions withHost(String v) {
        return new ServerOptions(v, port, dataDir, accessTtl, refreshTtl, wsTokenTtl, pingInterval, pongTimeout, clock, limits, tls);
    }

    public ServerOptions withPort(int v) {
        return new ServerOptions(host, v, dataDir, accessTtl, refreshTtl, wsTokenTtl, pingInterval, pongTimeout, clock, limits, tls);
    }

    public ServerOptions withAccessTtl(Duration v) {
        return new ServerOptions(host, port, dataDir, v, refreshTtl, wsTokenTtl, pingInterval, pongTimeout, clock, limits, tls);
    }

    public ServerOptions withRefreshTtl(Duration v) {
        return new ServerOptions(host, port, dataDir, accessTtl, v, wsTokenTtl, pingInterval, pongTimeout, clock, limits, tls);
    }

    public ServerOptions withWsTokenTtl(Duration v) {
        return new ServerOptions(host, port, dataDir, accessTtl, refreshTtl, v, pingInterval, pongTimeout, clock, limits, tls);
    }

    public ServerOptions withPingInterval(Duration v) {
        return new ServerOptions(host, port, dataDir, accessTtl, refreshTtl, wsTokenTtl, v, pongTimeout, clock, limits, tls);
    }

    public ServerOptions withPongTimeout(Duration v) {
        return new ServerOptions(host, port, dataDir, accessTtl, refreshTtl, wsTokenTtl, pingInterval, v, clock, limits, tls);
    }

    public ServerOptions withClock(Clock v) {
        return new ServerOptions(host, port, dataDir, accessTtl, refreshTtl, wsTokenTtl, pingInterval, pongTimeout, v, limits, tls);
    }

    public ServerOptions withLimits(ServerLimits v) {
        return new ServerOptions(host, port, dataDir, accessTtl, refreshTtl, wsTokenTtl, pingInterval, pongTimeout, clock, v, tls);
    }

    public ServerOptions withTls(Path certificate, Path privateKey) {
        return new ServerOptions(host, port, dataDir, accessTtl, refreshTtl, wsTokenTtl, pingInterval, pongTimeout, clock, limits,
                Optional.of(new TlsFiles(certificate, privateKey)));
    }
}
