package dev.speckitty.server;

import dev.speckitty.protocol.time.Ticker;
import dev.speckitty.server.http.ConnectionLimiter;
import dev.speckitty.server.http.Endpoints;
import dev.speckitty.server.http.HttpChannelInitializer;
import dev.speckitty.server.http.LoginThrottle;
import dev.speckitty.server.http.Logins;
import dev.speckitty.server.http.ServerContext;
import dev.speckitty.server.http.Transport;
import dev.speckitty.server.oauth.OAuthOptions;
import dev.speckitty.server.store.Storage;
import dev.speckitty.server.store.UserStore;
import dev.speckitty.server.store.Stores;
import dev.speckitty.server.ws.SessionAudit;
import dev.speckitty.server.ws.TeamHub;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference team server, embeddable: {@code TeamServer.start(ServerOptions.loopback(dir))} binds,
 * {@link #close()} stops it. Thread-safe.
 */
public final class TeamServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TeamServer.class);
    private static final int BLOCKING_THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    /** Password hashing gets at most half the CPUs (one on a small box), so sync traffic always has the rest. */
    private static final int LOGIN_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    /** Logins waiting for a hashing thread; more are answered 503 at once. */
    private static final int LOGIN_QUEUE = 32;
    /** What an HTTP connection may hold unwritten: two slices of a large answer (see Responses). */
    private static final WriteBufferWaterMark HTTP_WATER_MARK = new WriteBufferWaterMark(256 << 10, 512 << 10);

    private final ServerOptions options;
    private final Storage storage;
    private final Transport transport;
    private final ExecutorService blocking;
    private final ExecutorService login;
    private final TeamHub hub;
    /** The {@code ws-fanout} thread the hub writes frames on. */
    private final ExecutorService fanout;
    private final ChannelGroup channels;
    private final Channel serverChannel;
    private final URI url;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TeamServer(ServerOptions options, Storage storage, Transport transport, ExecutorService blocking, ExecutorService login,
            TeamHub hub, ExecutorService fanout, ChannelGroup channels, Channel serverChannel) {
        this.options = options;
        this.storage = storage;
        this.transport = transport;
        this.blocking = blocking;
        this.login = login;
        this.hub = hub;
        this.fanout = fanout;
        this.channels = channels;
        this.serverChannel = serverChannel;
        int port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        this.url = URI.create((options.tls().isPresent() ? "https" : "http") + "://" + host + ":" + port);
    }

    /** Opens the data directory's database and binds; throws if either fails (nothing is left running). */
    public static TeamServer start(ServerOptions options) {
        return start(options, OAuthOptions.defaults());
    }

    /** {@link #start(ServerOptions)} with OAuth code lifetimes, polling interval and public URL of its own. */
    public static TeamServer start(ServerOptions options, OAuthOptions oauth) {
        Optional<SslContext> tls = options.tls().map(TeamServer::sslContext);
        ExecutorService fanout = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ws-fanout");
            t.setDaemon(true);
            return t;
        });
        TeamHub hub = new TeamHub(fanout, Ticker.system());
        Storage storage;
        try {
            storage = Stores.open(options.databaseUrl(), options.dataDir(), options.clock(), hub, BLOCKING_THREADS);
        } catch (RuntimeException e) {
            fanout.shutdownNow();
            throw e;
        }
        ExecutorService blocking = executor("server-blocking-", BLOCKING_THREADS, new LinkedBlockingQueue<>(10_000));
        ExecutorService login = executor("server-login-", LOGIN_THREADS, new ArrayBlockingQueue<>(LOGIN_QUEUE));
        Transport transport = Transport.create("server-io", 0);
        ChannelGroup channels = new DefaultChannelGroup("server-connections", GlobalEventExecutor.INSTANCE);
        try {
            Endpoints endpoints = new Endpoints(storage, options, oauth);
            ServerContext ctx = new ServerContext(storage, endpoints, new Logins(endpoints, LoginThrottle.defaults(), login), options,
                    blocking, hub, channels);
            ServerBootstrap b = new ServerBootstrap()
                    .group(transport.group())
                    .channel(transport.channelType())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    // Connections read only when their handler asks (ApiHandler, then MemberSocket): no request or frame piles up.
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, HTTP_WATER_MARK)
                    .childHandler(new HttpChannelInitializer(ctx, new ConnectionLimiter(options.limits().maxConnections(),
                            options.limits().maxConnectionsPerAddress()), tls));
            Channel ch = b.bind(options.host(), options.port()).syncUninterruptibly().channel();
            long audit = options.sessionAudit().toNanos();
            transport.group().next().scheduleAtFixedRate(new SessionAudit(hub, storage.tokens(), blocking), audit, audit,
                    TimeUnit.NANOSECONDS);
            TeamServer server = new TeamServer(options, storage, transport, blocking, login, hub, fanout, channels, ch);
            LOG.info("listening on {} ({}, data {})", server.url, transport.name(), storage.describe());
            return server;
        } catch (RuntimeException e) {
            transport.group().shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            blocking.shutdownNow();
            login.shutdownNow();
            fanout.shutdownNow();
            storage.close();
            throw new IllegalStateException("cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage()
                    + ". Is another server using the port? Pick another --listen address", e);
        }
    }

    private static ExecutorService executor(String prefix, int threads, BlockingQueue<Runnable> queue) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, queue, r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private static SslContext sslContext(ServerOptions.TlsFiles files) {
        try {
            return SslContextBuilder.forServer(files.certificate().toFile(), files.privateKey().toFile()).build();
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot load TLS certificate " + files.certificate() + " and key "
                    + files.privateKey() + ": " + e.getMessage() + ". Pass a PEM certificate chain and a PEM PKCS#8 key", e);
        }
    }

    /** {@code http://host:port} (https with TLS). */
    public URI url() {
        return url;
    }

    public int port() {
        return url.getPort();
    }

    public UserStore users() {
        return storage.users();
    }

    /** The fan-out hub (tests use it to wait until a WebSocket client has joined). */
    public TeamHub hub() {
        return hub;
    }

    public ServerOptions options() {
        return options;
    }

    /** Stops accepting, closes every connection, stops the threads and closes the database. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        serverChannel.close().syncUninterruptibly();
        hub.closeAll();
        fanout.shutdown(); // frames already handed over still leave, before the connections close
        channels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        transport.group().shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        login.shutdownNow(); // a login in progress is not worth waiting for: its client logs in again
        blocking.shutdown();
        try {
            if (!blocking.awaitTermination(10, TimeUnit.SECONDS)) {
                blocking.shutdownNow();
            }
        } catch (InterruptedException e) {
            blocking.shutdownNow();
            Thread.currentThread().interrupt();
        }
        storage.close();
        LOG.info("stopped {}", url);
    }
}
