package dev.speckitty.server;

import dev.speckitty.server.http.ConnectionLimiter;
import dev.speckitty.server.http.Endpoints;
import dev.speckitty.server.http.HttpChannelInitializer;
import dev.speckitty.server.http.ServerContext;
import dev.speckitty.server.http.Transport;
import dev.speckitty.server.store.Storage;
import dev.speckitty.server.store.UserStore;
import dev.speckitty.server.store.Stores;
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
import java.util.concurrent.ExecutorService;
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

    private final ServerOptions options;
    private final Storage storage;
    private final Transport transport;
    private final ExecutorService blocking;
    private final TeamHub hub;
    private final ChannelGroup channels;
    private final Channel serverChannel;
    private final URI url;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TeamServer(ServerOptions options, Storage storage, Transport transport, ExecutorService blocking, TeamHub hub,
            ChannelGroup channels, Channel serverChannel) {
        this.options = options;
        this.storage = storage;
        this.transport = transport;
        this.blocking = blocking;
        this.hub = hub;
        this.channels = channels;
        this.serverChannel = serverChannel;
        int port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        this.url = URI.create((options.tls().isPresent() ? "https" : "http") + "://" + host + ":" + port);
    }

    /** Opens the data directory's database and binds; throws if either fails (nothing is left running). */
    public static TeamServer start(ServerOptions options) {
        Optional<SslContext> tls = options.tls().map(TeamServer::sslContext);
        TeamHub hub = new TeamHub();
        Storage storage = Stores.open(options.databaseUrl(), options.dataDir(), options.clock(), hub, BLOCKING_THREADS);
        ExecutorService blocking = blockingExecutor();
        Transport transport = Transport.create("server-io", 0);
        ChannelGroup channels = new DefaultChannelGroup("server-connections", GlobalEventExecutor.INSTANCE);
        try {
            ServerContext ctx = new ServerContext(storage, new Endpoints(storage, options), options, blocking, hub, channels);
            ServerBootstrap b = new ServerBootstrap()
                    .group(transport.group())
                    .channel(transport.channelType())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    // Room for a burst of fan-out frames; a client further behind than this is dropped (it pulls on reconnect).
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(8 << 20, 16 << 20))
                    .childHandler(new HttpChannelInitializer(ctx, new ConnectionLimiter(options.limits().maxConnections()), tls));
            Channel ch = b.bind(options.host(), options.port()).syncUninterruptibly().channel();
            TeamServer server = new TeamServer(options, storage, transport, blocking, hub, channels, ch);
            LOG.info("listening on {} ({}, data {})", server.url, transport.name(), storage.describe());
            return server;
        } catch (RuntimeException e) {
            transport.group().shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            blocking.shutdownNow();
            storage.close();
            throw new IllegalStateException("cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage()
                    + ". Is another server using the port? Pick another --listen address", e);
        }
    }

    private static ExecutorService blockingExecutor() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(BLOCKING_THREADS, BLOCKING_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(10_000), r -> {
            Thread t = new Thread(r, "server-blocking-" + n.incrementAndGet());
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
        channels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        transport.group().shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
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
