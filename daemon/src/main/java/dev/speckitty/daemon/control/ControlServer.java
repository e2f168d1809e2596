package dev.speckitty.daemon.control;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.kqueue.KQueue;
import io.netty.channel.kqueue.KQueueIoHandler;
import io.netty.channel.kqueue.KQueueServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control API: HTTP/1.1 + JSON over a Unix domain socket (epoll on Linux, kqueue on macOS).
 * Its event loop only parses and writes; every {@link ControlService} call runs on the blocking
 * executor given to {@link #start}. Clients are bounded by {@link ControlLimits}: a deadline to send
 * each whole request and a number of open connections. Thread-safe; {@link #close()} unbinds and
 * deletes the socket.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    /** Big enough for an {@code events import} of a long offline week. */
    static final int MAX_REQUEST_BYTES = 32 * 1024 * 1024;

    private final Path socket;
    private final EventLoopGroup group;
    private final Channel channel;

    private ControlServer(Path socket, EventLoopGroup group, Channel channel) {
        this.socket = socket;
        this.group = group;
        this.channel = channel;
    }

    /**
     * Binds the control API on {@code socket} (directory 0700, socket 0600), removing a stale socket
     * file first.
     *
     * @throws IllegalStateException when another daemon answers on {@code socket}, or no native
     *     Unix-socket transport is available on this platform
     */
    public static ControlServer start(Path socket, ControlService service, Executor blocking, String version) {
        return start(socket, service, blocking, version, ControlLimits.fromSystemProperties());
    }

    /** {@link #start(Path, ControlService, Executor, String)} with explicit limits on the clients. */
    public static ControlServer start(Path socket, ControlService service, Executor blocking, String version, ControlLimits limits) {
        return start(socket, service, blocking, version, limits, RequestBudget.daemons());
    }

    /** {@link #start(Path, ControlService, Executor, String, ControlLimits)} with an explicit budget of request memory (tests). */
    static ControlServer start(Path socket, ControlService service, Executor blocking, String version, ControlLimits limits,
                               RequestBudget budget) {
        Transport transport = Transport.detect();
        AtomicInteger open = new AtomicInteger();
        SocketFile.prepare(socket);
        ControlRoutes routes = new ControlRoutes(service, blocking, Clock.systemUTC());

        VersionHeaderHandler versionHeader = new VersionHeaderHandler(version);
        // One event loop: it only moves bytes (the work runs on `blocking`), and on a small machine a
        // second loop was one more thread to wake per request (enqueue: about 8 % more events/s from
        // eight producers, 5 % from one, with 1 loop against 2; docs/BENCHMARKS.md).
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("control-api", true), transport.io());
        try {
            Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast("http", new HttpServerCodec()).addLast("version", versionHeader);
                            int now = open.incrementAndGet();
                            ch.closeFuture().addListener(f -> open.decrementAndGet());
                            if (now > limits.maxConnections()) {
                                ch.pipeline().addLast("refuse", new TooManyConnections(now, limits.maxConnections()));
                                return;
                            }
                            java.util.ArrayDeque<RequestBudget.Ticket> tickets = new java.util.ArrayDeque<>();
                            ch.pipeline().addLast("budget", new BodyGate(budget, tickets))
                                    .addLast("aggregate", new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                    .addLast("control", new ControlHandler(routes, limits.requestTimeout(), budget, tickets));
                        }
                    })
                    .bind(new DomainSocketAddress(socket.toAbsolutePath().toString()))
                    .syncUninterruptibly()
                    .channel();
            SocketFile.restrict(socket);
            return new ControlServer(socket, group, channel);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen on the control socket " + socket + " (" + e.getMessage()
                    + "); see `spec-kitty daemon logs`", e);
        }
    }

    public Path socket() {
        return socket;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // Best effort: the next start treats a socket file nobody answers on as stale.
        }
    }

    /**
     * A connection past {@link ControlLimits#maxConnections}: answered 503 at once, before its request
     * is read, and closed. Owned by its channel's event loop.
     */
    private static final class TooManyConnections extends ChannelInboundHandlerAdapter {
        private final int open;
        private final int max;

        TooManyConnections(int open, int max) {
            this.open = open;
            this.max = max;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            LOG.warn("control API: refused a connection: {} open (expected: at most {})", open, max);
            ControlHandler.answerAndClose(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "the daemon already serves " + max
                    + " control connections (expected: at most " + max + "); a client is holding connections open. Close it and try again");
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg); // whatever it sends is not read
        }
    }

    /** The native Unix-socket transport of this platform. */
    private record Transport(IoHandlerFactory io, Class<? extends ServerChannel> serverChannel) {
        static Transport detect() {
            if (Epoll.isAvailable()) {
                return new Transport(EpollIoHandler.newFactory(), EpollServerDomainSocketChannel.class);
            }
            if (KQueue.isAvailable()) {
                return new Transport(KQueueIoHandler.newFactory(), KQueueServerDomainSocketChannel.class);
            }
            throw new IllegalStateException("no native Unix socket transport for " + System.getProperty("os.name") + "/"
                    + System.getProperty("os.arch") + " (epoll: " + Epoll.unavailabilityCause() + "); the daemon runs on Linux and macOS only");
        }
    }
}
