package dev.speckitty.e2e.fault;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 between a client and one server, with a {@link Fault} switchable at
 * runtime. Each new connection is sniffed: a WebSocket upgrade is relayed as raw bytes (so it can be
 * frozen), anything else is read as HTTP/1.1 requests, one backend connection per request, so each
 * request meets the fault set when its head arrived. State is shared between Netty event loops
 * (volatile fault, atomic counters); the test thread only calls {@link #set} and reads counters.
 */
public final class FaultProxy implements AutoCloseable {
    /** Extra delay of {@link Fault#LATENCY}. */
    public static final Duration LATENCY = Duration.ofMillis(300);
    /** {@link Fault#SLOW_DRIP}: this many bytes every {@link #DRIP_EVERY}. */
    static final int DRIP_BYTES = 256;
    static final Duration DRIP_EVERY = Duration.ofMillis(25);
    static final int MAX_BODY = 64 * 1024 * 1024;

    private final InetSocketAddress target;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final ChannelGroup all = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Set<WsLink> links = ConcurrentHashMap.newKeySet();
    private final AtomicLong faults = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final Channel server;
    private volatile Fault fault = Fault.NONE;

    private FaultProxy(InetSocketAddress target) {
        this.target = target;
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        all.add(ch);
                        ch.pipeline().addLast(new Sniffer(FaultProxy.this));
                    }
                })
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    /** Starts a proxy on a free loopback port that forwards to {@code host:port}. */
    public static FaultProxy start(String host, int port) {
        return new FaultProxy(new InetSocketAddress(host, port));
    }

    /** Starts a proxy in front of {@code url}'s host and port (an {@code http://} server). */
    public static FaultProxy to(URI url) {
        return start(url.getHost(), url.getPort());
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** {@code http://127.0.0.1:<port>}: give this to the client instead of the server's URL. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Sets the fault for the requests and connections that start from now; {@link Fault#WS_FREEZE} also freezes open WebSockets. */
    public void set(Fault next) {
        fault = next;
        if (next == Fault.WS_FREEZE) {
            for (WsLink link : links) {
                if (link.freeze()) {
                    faults.incrementAndGet();
                }
            }
        }
    }

    public Fault fault() {
        return fault;
    }

    /** Requests and connections a fault was applied to, since start. */
    public long faultsInjected() {
        return faults.get();
    }

    /** HTTP requests and WebSocket connections seen, since start. */
    public long requests() {
        return requests.get();
    }

    Fault nextRequest() {
        requests.incrementAndGet();
        return fault;
    }

    void counted() {
        faults.incrementAndGet();
    }

    InetSocketAddress target() {
        return target;
    }

    /** Connects to the server on {@code loop}; {@code init} builds the backend pipeline. */
    io.netty.channel.ChannelFuture connect(io.netty.channel.EventLoop loop, ChannelInitializer<SocketChannel> init) {
        return new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        all.add(ch);
                        ch.pipeline().addLast(init);
                    }
                })
                .connect(target);
    }

    void register(WsLink link) {
        links.add(link);
        if (fault == Fault.WS_FREEZE && link.freeze()) {
            faults.incrementAndGet();
        }
    }

    void unregister(WsLink link) {
        links.remove(link);
    }

    /** Closes with an RST instead of a FIN, as a crashed peer or a middlebox would. */
    static void reset(Channel ch) {
        if (ch.isOpen()) {
            try {
                ch.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (RuntimeException ignored) {
                // already closing: a plain close is all that is left
            }
            ch.close();
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        all.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Reads the first request head of a connection and installs the WebSocket relay or the HTTP front. */
    private static final class Sniffer extends ChannelInboundHandlerAdapter {
        private static final int MAX_HEAD = 16 * 1024;
        private final FaultProxy proxy;
        private ByteBuf seen;

        Sniffer(FaultProxy proxy) {
            this.proxy = proxy;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            if (seen == null) {
                seen = ctx.alloc().buffer(Math.max(256, in.readableBytes()));
            }
            seen.writeBytes(in);
            in.release();
            String head = seen.toString(StandardCharsets.ISO_8859_1);
            int end = head.indexOf("\r\n\r\n");
            if (end < 0 && seen.readableBytes() < MAX_HEAD) {
                return;
            }
            ByteBuf buffered = seen;
            seen = null;
            String lower = head.substring(0, end < 0 ? head.length() : end).toLowerCase(Locale.ROOT);
            if (lower.contains("\nupgrade: websocket") || lower.contains("\nupgrade:websocket")) {
                WsLink.install(proxy, ctx, buffered);
            } else {
                ctx.pipeline().addAfter(ctx.name(), "front", new HttpFront(proxy));
                ctx.pipeline().addAfter(ctx.name(), "aggregate-guard", new io.netty.handler.codec.http.HttpServerCodec(8192, 16 * 1024, 64 * 1024));
                ctx.pipeline().remove(this);
                ctx.pipeline().fireChannelRead(buffered);
            }
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            // Removed after hand-over (seen is null) or with the channel; release what is still held.
            if (seen != null) {
                ReferenceCountUtil.release(seen);
                seen = null;
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
