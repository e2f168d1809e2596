package dev.speckitty.server.cli;

import dev.speckitty.server.ServerOptions;
import dev.speckitty.server.TeamServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spec-kitty-server run}: serves until SIGTERM/SIGINT, then closes connections and the database. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the team server. Prints one line 'listening on URL' to stdout once bound; logs go to stderr.")
public final class RunCommand implements Callable<Integer> {
    private final Io io;

    @Spec
    CommandSpec spec;

    @Option(names = "--listen", defaultValue = "127.0.0.1:8080", paramLabel = "HOST:PORT",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; port 0 = any free port).")
    String listen;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (server.db lives here); not used with --db.")
    Path data;

    @Option(names = "--db", paramLabel = "JDBC_URL", defaultValue = "${env:SPEC_KITTY_SERVER_DB}",
            description = "PostgreSQL instead of SQLite, e.g. jdbc:postgresql://db:5432/kitty?user=kitty "
                    + "(default: $SPEC_KITTY_SERVER_DB; keep passwords there or in ~/.pgpass, not on the command line). "
                    + "Several servers may share one database.")
    String db;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain; serves https.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM PKCS#8 private key of --tls-cert.")
    Path tlsKey;

    @Option(names = "--allow-insecure-non-loopback",
            description = "Serve plain http on a non-loopback address (tokens and passwords then cross the network in clear).")
    boolean allowInsecure;

    @Option(names = "--access-ttl", defaultValue = "15m", paramLabel = "DURATION",
            description = "Lifetime of access tokens: 90s, 15m, 1h, 7d or ISO-8601 such as PT15M (default: ${DEFAULT-VALUE}).")
    Duration accessTtl;

    @Option(names = "--refresh-ttl", defaultValue = "7d", paramLabel = "DURATION",
            description = "Lifetime of refresh tokens: 90s, 15m, 1h, 7d or ISO-8601 such as P7D (default: ${DEFAULT-VALUE}).")
    Duration refreshTtl;

    @Option(names = "--max-connections-per-address", defaultValue = "64", paramLabel = "N",
            description = "Connections one client address may hold open (default: ${DEFAULT-VALUE}, about twenty daemons behind one NAT).")
    int maxPerAddress;

    @Option(names = "--public-url", paramLabel = "URL",
            description = "The URL users reach this server at (e.g. https://sync.example.com behind a proxy); used in the device "
                    + "login's link and the ws URL of 3.x clients. Default: the scheme and Host header of each request.")
    String publicUrl;

    public RunCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        HostPort hp = HostPort.parse(listen).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                "--listen: '" + listen + "' (expected: HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080)"));
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together; pass both or neither");
        }
        if (tlsCert == null && !allowInsecure && !isLoopback(hp.host())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "refusing to serve plain http on non-loopback address "
                    + hp.host() + ": pass --tls-cert and --tls-key, or --allow-insecure-non-loopback if a proxy terminates TLS");
        }
        if (accessTtl.isNegative() || accessTtl.isZero() || refreshTtl.compareTo(accessTtl) < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--access-ttl: " + DurationConverter.format(accessTtl)
                    + ", --refresh-ttl: " + DurationConverter.format(refreshTtl) + " (expected: 0 < access <= refresh)");
        }
        if (maxPerAddress < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-connections-per-address: " + maxPerAddress
                    + " (expected: >= 1)");
        }
        ServerOptions base = storeOptions(spec, data, db);
        ServerOptions options = base.withHost(hp.host()).withPort(hp.port()).withAccessTtl(accessTtl).withRefreshTtl(refreshTtl)
                .withLimits(base.limits().withMaxConnectionsPerAddress(maxPerAddress));
        if (tlsCert != null) {
            options = options.withTls(tlsCert, tlsKey);
        }
        if (data != null && (db == null || db.isBlank())) {
            DataDirectory.create(data);
        }
        dev.speckitty.server.oauth.OAuthOptions oauth = dev.speckitty.server.oauth.OAuthOptions.defaults();
        if (publicUrl != null && !publicUrl.isBlank()) {
            try {
                oauth = oauth.withPublicUrl(java.net.URI.create(publicUrl.trim()));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--public-url: '" + publicUrl
                        + "' (expected: http(s)://HOST[:PORT], e.g. https://sync.example.com)");
            }
        }
        TeamServer server;
        try {
            server = TeamServer.start(options, oauth);
        } catch (Exception e) { // Netty rethrows the bind's IOException undeclared
            throw BindFailure.explain(e, listen);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "server-shutdown"));
        io.out().println("listening on " + server.url());
        io.out().flush();
        stopped.await();
        return 0;
    }

    /** Loopback options on SQLite in {@code data}, or on PostgreSQL at {@code db}; one of the two is required. */
    static ServerOptions storeOptions(CommandSpec spec, Path data, String db) {
        boolean hasDb = db != null && !db.isBlank();
        if (data == null && !hasDb) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "missing --data DIR (SQLite) or --db jdbc:postgresql://HOST:PORT/DB (PostgreSQL)");
        }
        ServerOptions options = ServerOptions.loopback(data == null ? Path.of(".") : data);
        if (hasDb) {
            try {
                options = options.withDatabaseUrl(db);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--db: " + e.getMessage());
            }
        }
        return options;
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A parsed {@code HOST:PORT}. */
    record HostPort(String host, int port) {
        static java.util.Optional<HostPort> parse(String s) {
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || colon == s.length() - 1) {
                return java.util.Optional.empty();
            }
            String host = s.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                int port = Integer.parseInt(s.substring(colon + 1));
                return port < 0 || port > 65535 || host.isEmpty() ? java.util.Optional.empty()
                        : java.util.Optional.of(new HostPort(host, port));
            } catch (NumberFormatException e) {
                return java.util.Optional.empty();
            }
        }
    }
}
