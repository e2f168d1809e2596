package dev.speckitty.daemon.session;

import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.event.EventLimits;
import dev.speckitty.protocol.time.Ticker;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.WsCodec;
import dev.speckitty.protocol.wire.WsMessage;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;

/**
 * One WebSocket connection to {@code /ws/v1/events/}: waits for {@code hello}, answers pings,
 * sends its own pings every {@code pingInterval} and closes the link when nothing arrives for
 * {@code deadAfter}. Callbacks run on the connection's event loop: listeners must hand work off.
 * State is owned by that event loop. The timers are the event loop's (the channel owns them); the
 * silence that makes a link dead is measured on the {@code ticker} it is given.
 */
public final class ServerLink implements AutoCloseable {
    /** Largest frame accepted from the server: one event frame, with room for big payloads. */
    static final int MAX_FRAME_BYTES = 1024 * 1024;
    /** An event frame is the event plus a small envelope ({@code type}, {@code cursor}); past this it is not decoded. */
    static final int MAX_EVENT_FRAME_BYTES = EventLimits.MAX_EVENT_BYTES + 1024;

    /** What a session tells its owner; called on the event loop, must not block. */
    public interface Listener {
        void onHello(String cursor);

        /** The hello with the server's version (shown by {@code spec-kitty version}). */
        default void onHello(String serverVersion, String cursor) {
            onHello(cursor);
        }

        void onEvent(String cursor, Event event);

        /**
         * Whether event frames are wanted now; when not, the session skips them undecoded and calls
         * {@link #onEventSkipped} (the listener pulls them later from its cursor).
         */
        default boolean acceptsEvents() {
            return true;
        }

        /** An event frame was skipped because {@link #acceptsEvents} said no. */
        default void onEventSkipped() {
        }

        /** The link ended (server close, dead link, error); called once. */
        void onClosed(String reason);
    }

    private final Channel channel;

    private ServerLink(Channel channel) {
        this.channel = channel;
    }

    /** Connects and completes once {@code hello} arrived; fails with the reason otherwise. */
    public static CompletableFuture<ServerLink> connect(EventLoopGroup group, URI server, String wsToken,
                                                      Duration pingInterval, Duration deadAfter, Ticker ticker, Listener listener) {
        return connect(group, server, java.util.Optional.empty(), wsToken, pingInterval, deadAfter, ticker, listener);
    }

    /**
     * {@link #connect(EventLoopGroup, URI, String, Duration, Duration, Ticker, Listener)} naming this
     * client's node ({@code ?node_id=}), whose own events the server then does not send on this link.
     */
    public static CompletableFuture<ServerLink> connect(EventLoopGroup group, URI server, java.util.Optional<String> node, String wsToken,
                                                      Duration pingInterval, Duration deadAfter, Ticker ticker, Listener listener) {
        CompletableFuture<ServerLink> opened = new CompletableFuture<>();
        boolean tls = "https".equalsIgnoreCase(server.getScheme());
        String query = node.map(n -> "?" + Api.WS_NODE_PARAM + "=" + java.net.URLEncoder.encode(n, java.nio.charset.StandardCharsets.UTF_8))
                .orElse("");
        URI ws = URI.create((tls ? "wss://" : "ws://") + server.getRawAuthority() + Api.WEBSOCKET + query);
        int port = server.getPort() != -1 ? server.getPort() : tls ? 443 : 80;
        SslContext ssl;
        try {
            ssl = tls ? SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS").build() : null;
        } catch (SSLException e) {
            opened.completeExceptionally(e);
            return opened;
        }
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(ws)
                .customHeaders(new DefaultHttpHeaders().set("Authorization", "Bearer " + wsToken))
                .maxFramePayloadLength(MAX_FRAME_BYTES)
                .withUTF8Validator(false)
                .handshakeTimeoutMillis(deadAfter.toMillis())
                .build();
        Handler handler = new Handler(listener, opened, pingInterval, deadAfter, ticker);
        new Bootstrap().group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) deadAfter.toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (ssl != null) {
                            p.addLast(ssl.newHandler(ch.alloc(), server.getHost(), port));
                        }
                        p.addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                                new WebSocketClientProtocolHandler(config), handler);
                    }
                })
                .connect(server.getHost(), port)
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        handler.fail(f.cause() == null ? "connect failed" : describe(f.cause()));
                    }
                });
        return opened;
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void close() {
        channel.close();
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    /**
     * The session's protocol handler: hello, pongs to the server's pings, its own pings, and the dead
     * link after {@code deadAfter} without a frame. All state is touched on the channel's event loop
     * only. Package-private so that tests drive it in an {@code EmbeddedChannel}.
     */
    static final class Handler extends SimpleChannelInboundHandler<WebSocketFrame> {
        static final String DEAD_LINK = "no frame from the server for too long (dead link)";

        private final Listener listener;
        private final CompletableFuture<ServerLink> opened;
        private final Duration pingInterval;
        private final long deadAfterNanos;
        private final Ticker ticker;
        private final AtomicBoolean closedReported = new AtomicBoolean();
        private String closeReason = "the server closed the connection";
        /** When the last frame arrived (or the link opened), on the ticker. */
        private long lastFrameNanos;
        private boolean watching;
        private ScheduledFuture<?> silenceCheck;
        private ScheduledFuture<?> pinger;

        Handler(Listener listener, CompletableFuture<ServerLink> opened, Duration pingInterval, Duration deadAfter, Ticker ticker) {
            this.listener = listener;
            this.opened = opened;
            this.pingInterval = pingInterval;
            this.deadAfterNanos = deadAfter.toNanos();
            this.ticker = ticker;
        }

        /** The link that completes once hello arrived (tests hold the handler, not the connect call). */
        CompletableFuture<ServerLink> opened() {
            return opened;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
                watch(ctx);
            }
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            watch(ctx);
            super.channelActive(ctx);
        }

        /** Starts the silence clock once the connection is up: the handshake and hello count against it too. */
        private void watch(ChannelHandlerContext ctx) {
            if (watching) {
                return;
            }
            watching = true;
            lastFrameNanos = ticker.nanos();
            checkSilenceIn(ctx, deadAfterNanos);
        }

        private void checkSilenceIn(ChannelHandlerContext ctx, long delayNanos) {
            silenceCheck = ctx.executor().schedule(() -> checkSilence(ctx), delayNanos, TimeUnit.NANOSECONDS);
        }

        /** Closes a link silent for {@code deadAfter}; otherwise looks again when that much silence could first have passed. */
        private void checkSilence(ChannelHandlerContext ctx) {
            if (!ctx.channel().isActive()) {
                return;
            }
            long silent = ticker.nanos() - lastFrameNanos;
            if (silent >= deadAfterNanos) {
                fail(DEAD_LINK);
                ctx.close();
                return;
            }
            checkSilenceIn(ctx, deadAfterNanos - silent);
        }

        void fail(String reason) {
            closeReason = reason;
            if (!opened.isDone()) {
                opened.completeExceptionally(new IllegalStateException(reason));
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                pinger = ctx.executor().scheduleAtFixedRate(() -> {
                    if (ctx.channel().isActive()) {
                        ctx.writeAndFlush(new TextWebSocketFrame(WsCodec.encode(new WsMessage.Ping(System.currentTimeMillis()))));
                    }
                }, pingInterval.toMillis(), pingInterval.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                super.userEventTriggered(ctx, evt);
            }
        }

        private static byte[] head(ByteBuf content) {
            byte[] head = new byte[Math.min(content.readableBytes(), WsCodec.EVENT_FRAME_START_BYTES)];
            content.getBytes(content.readerIndex(), head);
            return head;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            lastFrameNanos = ticker.nanos(); // any frame, even one skipped below, shows the link is alive
            if (!(frame instanceof TextWebSocketFrame text)) {
                return;
            }
            ByteBuf content = text.content();
            if (content.readableBytes() > MAX_EVENT_FRAME_BYTES && WsCodec.looksLikeEventFrame(head(content))) {
                // Larger than an event may be: not worth decoding; the pull passes it and records why.
                listener.onEventSkipped();
                return;
            }
            if (!listener.acceptsEvents() && WsCodec.looksLikeEventFrame(head(content))) {
                // Decoding costs more than the event is worth now: it will be pulled. During a long
                // drain this is most frames (the server echoes every uploaded event), so it is
                // decided on the first bytes, before any text is made.
                listener.onEventSkipped();
                return;
            }
            WsMessage message;
            try {
                // The bytes go to the JSON parser, which refuses malformed UTF-8 (the pipeline's own
                // UTF-8 validator is off: it read every skipped frame in full).
                message = WsCodec.decode(ByteBufUtil.getBytes(content));
            } catch (RuntimeException e) {
                // A bad frame is the server's problem; a pull will fill any gap it leaves.
                return;
            }
            if (message instanceof WsMessage.Hello hello) {
                if (!opened.isDone()) {
                    listener.onHello(hello.serverVersion(), hello.cursor());
                    opened.complete(new ServerLink(ctx.channel()));
                }
            } else if (message instanceof WsMessage.EventFrame event) {
                listener.onEvent(event.cursor(), event.event());
            } else if (message instanceof WsMessage.Ping ping) {
                ctx.writeAndFlush(new TextWebSocketFrame(WsCodec.encode(new WsMessage.Pong(ping.timestamp()))));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof WebSocketClientHandshakeException && !opened.isDone()) {
                // Kept as is: the owner tells a server that refuses WebSockets (it polls then) from a dead one.
                opened.completeExceptionally(cause);
            }
            fail(describe(cause));
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            // The timers go with the link: a closed link's pinger used to stay on the event loop.
            if (silenceCheck != null) {
                silenceCheck.cancel(false);
            }
            if (pinger != null) {
                pinger.cancel(false);
            }
            fail(closeReason);
            if (closedReported.compareAndSet(false, true)) {
                listener.onClosed(closeReason);
            }
            super.channelInactive(ctx);
        }
    }
}
