package dev.speckitty.server;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * How to run a {@link TeamServer}: where to listen, where the data lives, token lifetimes, WebSocket
 * liveness timers, how often open sessions are checked against removed accounts and revoked logins
 * ({@code sessionAudit}), the clock (injected so tests can expire tokens), limits, optional TLS and an optional
 * PostgreSQL URL (SQLite in {@code dataDir} when absent).
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
        Duration sessionAudit,
        Clock clock,
        ServerLimits limits,
        Optional<TlsFiles> tls,
        Optional<String> databaseUrl) {

    /** A PEM certificate chain and its PKCS#8 private key. */
    public record TlsFiles(Path certificate, Path privateKey) {
    }

    public ServerOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535, 0 = any free port)");
        }
        if (sessionAudit == null || sessionAudit.isNegative() || sessionAudit.isZero()) {
            throw new IllegalArgumentException("sessionAudit: " + sessionAudit + " (expected: > 0)");
        }
        tls = tls == null ? Optional.empty() : tls;
        databaseUrl = databaseUrl == null ? Optional.empty() : databaseUrl;
        databaseUrl.ifPresent(u -> {
            if (!u.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("database url: '" + redact(u) + "' (expected: jdbc:postgresql://HOST:PORT/DB?user=U, "
                        + "or none for SQLite in the data directory)");
            }
        });
    }

    /** The URL without its query (which may carry a password), for messages and logs. */
    public static String redact(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?…";
    }

    /**
     * 127.0.0.1 on a free port, default lifetimes (access 15 min, refresh 7 days, ws 60 s), ping 15 s,
     * pong timeout 45 s, session audit every 2 s.
     */
    public static ServerOptions loopback(Path dataDir) {
        return new ServerOptions("127.0.0.1", 0, dataDir, Duration.ofMinutes(15), Duration.ofDays(7), Duration.ofSeconds(60),
                Duration.ofSeconds(15), Duration.ofSeconds(45), Duration.ofSeconds(2), Clock.systemUTC(), ServerLimits.defaults(),
                Optional.empty(), Optional.empty());
    }

    public ServerOptions withHost(String v) {
        return new ServerOptions(v, port, dataDir, accessTtl, refreshTtl, wsTokenTtl, pingInterval, pongTimeout, sessionAudit,
                clock, limits, tls, databaseUrl);
    }

    public ServerOptions withPort(int v) {
        return new ServerOptions(host, v, dataDir, accessTtl, refreshTtl, wsTokenTtl, pingInterval, pongTimeout, sessionAudit,
                clock, limits, tls, databaseUrl);
    }

    public ServerOptions withAccessTtl(Duration v) {
        return new ServerOptions(host, port, dataDir, v, refreshTtl, wsTokenTtl, pingInterval, pongTimeout, sessionAudit,
                clock, limits, tls, databaseUrl);
    }

    public ServerOptions withRefreshTtl(Duration v) {
        return new ServerOptions(host, port, dataDir, accessTtl, v, wsTokenTtl, pingInterval, pongTimeout, sessionAudit,
                clock, limits, tls, databaseUrl);
    }

    public ServerOptions withWsTokenTtl(Duration v) {
        return new ServerOptions(host, port, dataDir, accessTtl, refreshTtl, v, pingInterval, pongTimeout, sessionAudit,
                clock, limits, tls, databaseUrl);
    }

    public ServerOptions withPingInterval(Duration v) {
        return new ServerOptions(host, port, dataDir, accessTtl, refreshTtl, wsTokenTtl, v, pongTimeout, sessionAudit,
                clock, limits, tls, databaseUrl);
    }

    public ServerOptions withPongTimeout(Duration v) {
        return new ServerOptions(host, port, dataDir, accessTtl, refreshTtl, wsTokenTtl, pingInterval, v, sessionAudit,
                clock, limits, tls, databaseUrl);
    }

    /** How often open WebSocket sessions are checked against removed accounts and revoked logins. */
    public ServerOptions withSessionAudit(Duration v) {
        return new ServerOptions(host, port, dataDir, accessTtl, refreshTtl, wsTokenTtl, pingInterval, pongTimeout, v,
                clock, limits, tls,
                databaseUrl);
    }

    public ServerOptions withClock(Clock v) {
        return new ServerOptions(host, port, dataDir, accessTtl, refreshTtl, wsTokenTtl, pingInterval, pongTimeout, sessionAudit,
                v, limits, tls, databaseUrl);
    }

    public ServerOptions withLimits(ServerLimits v) {
        return new ServerOptions(host, port, dataDir, accessTtl, refreshTtl, wsTokenTtl, pingInterval, pongTimeout, sessionAudit,
                clock, v, tls, databaseUrl);
    }

    public ServerOptions withTls(Path certificate, Path privateKey) {
        return new ServerOptions(host, port, dataDir, accessTtl, refreshTtl, wsTokenTtl, pingInterval, pongTimeout, sessionAudit,
                clock, limits,
                Optional.of(new TlsFiles(certificate, privateKey)), databaseUrl);
    }

    /** Stores in PostgreSQL at {@code jdbc:postgresql://…} instead of SQLite in the data directory; several instances may share it. */
    public ServerOptions withDatabaseUrl(String v) {
        return new ServerOptions(host, port, dataDir, accessTtl, refreshTtl, wsTokenTtl, pingInterval, pongTimeout, sessionAudit,
                clock, limits, tls,
                Optional.of(v));
    }
}
