package dev.speckitty.server.ws;

import dev.speckitty.server.http.Authenticator;
import dev.speckitty.server.http.ServerContext;
import dev.speckitty.server.store.TokenKind;
import dev.speckitty.server.store.Principal;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an HTTP upgrade request into a {@link MemberSocket}: checks the single-use ws token on the
 * blocking executor (401 when missing or not live), performs the handshake on the event loop, swaps
 * the HTTP handlers for the WebSocket ones, then joins the team's room.
 */
public final class WsUpgrade {
    private static final Logger LOG = LoggerFactory.getLogger(WsUpgrade.class);
    public static final String API_HANDLER = "api";
    public static final String DEADLINE_HANDLER = "deadline";
    public static final String FLOW_HANDLER = "flow";
    public static final String READS_HANDLER = "reads";
    public static final String HEAD_CHECK_HANDLER = "head-check";
    public static final String SLICED_WRITES_HANDLER = "sliced-writes";
    /** The handlers only HTTP needs; a session reads frames as they come and writes them as they are. */
    static final List<String> HTTP_ONLY = List.of(DEADLINE_HANDLER, HEAD_CHECK_HANDLER, SLICED_WRITES_HANDLER,
            READS_HANDLER, FLOW_HANDLER);

    private WsUpgrade() {
    }

    /** Takes ownership of {@code request} (releases it). The channel does not read until the session has joined. */
    public static void start(ChannelHandlerContext ctx, FullHttpRequest request, ServerContext server, long startNanos) {
        FullHttpRequest head = new DefaultFullHttpRequest(request.protocolVersion(), request.method(), request.uri(),
                Unpooled.EMPTY_BUFFER, request.headers().copy(), EmptyHttpHeaders.INSTANCE);
        request.release();
        Channel ch = ctx.channel();
        Optional<String> token = Authenticator.bearer(Optional.ofNullable(head.headers().get(HttpHeaderNames.AUTHORIZATION)));
        try {
            server.blocking().execute(() -> {
                Optional<Principal> user;
                try {
                    user = token.flatMap(t -> server.storage().tokens().consume(t, TokenKind.WS));
                } catch (RuntimeException e) {
                    LOG.error("checking a ws token failed", e);
                    ch.eventLoop().execute(() -> WsHttp.refuse(ch, startNanos, 500,
                            "internal error while checking the ws token; retry later"));
                    return;
                }
                ch.eventLoop().execute(() -> {
                    if (user.isEmpty()) {
                        WsHttp.refuse(ch, startNanos, 401, token.isEmpty()
                                ? "missing bearer token: send Authorization: Bearer <ws token> (from POST /api/v1/ws-token/)"
                                : "ws token expired, already used or unknown; get a new one from POST /api/v1/ws-token/");
                    } else {
                        handshake(ch, head, server, user.get(), startNanos);
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            WsHttp.refuse(ch, startNanos, 503, "server is shutting down; reconnect later");
        }
    }

    private static void handshake(Channel ch, FullHttpRequest head, ServerContext server, Principal user, long startNanos) {
        String url = "ws://" + head.headers().get(HttpHeaderNames.HOST, "localhost") + head.uri();
        int maxFrame = server.options().limits().maxWsFrame();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(url, null,
                io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(maxFrame)
                        .allowExtensions(false)
                        // MemberSocket answers 1009 itself and lingers, so the client reads the close frame instead of a reset.
                        .closeOnProtocolViolation(false)
                        .build()).newHandshaker(head);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ch).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        handshaker.handshake(ch, head).addListener(f -> {
            if (!f.isSuccess()) {
                LOG.debug("WebSocket handshake failed: {}", f.cause().toString());
                ch.close();
                return;
            }
            WsHttp.logUpgrade(startNanos);
            MemberSocket session = new MemberSocket(server, user, ch, generation3(head.uri()), node(head.uri()));
            ChannelPipeline p = ch.pipeline();
            for (String name : HTTP_ONLY) {
                if (p.get(name) != null) {
                    p.remove(name);
                }
            }
            // Unwritable past the session's backlog bound: MemberSocket then cuts it off (see MemberSocket#deliver).
            int backlog = server.options().limits().maxWsBacklog();
            ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(backlog / 2, backlog));
            // Text frames must be UTF-8 (RFC 6455): the handshaker alone does not check; a bad frame closes 1007 (MemberSocket).
            p.addBefore(API_HANDLER, "ws-utf8", new Utf8FrameValidator(false));
            p.addBefore(API_HANDLER, "ws-aggregator", new WebSocketFrameAggregator(maxFrame));
            p.replace(API_HANDLER, "ws-session", session);
            try {
                server.blocking().execute(session::join);
            } catch (RejectedExecutionException e) {
                session.goingAway();
            }
        });
    }

    /** Whether the URL is the one {@code POST /api/v1/ws-token} hands to spec-kitty 3.x ({@code ?v=3}). */
    static boolean generation3(String uri) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return false;
        }
        try {
            List<String> v = new io.netty.handler.codec.http.QueryStringDecoder(uri.substring(q + 1), false).parameters()
                    .get(dev.speckitty.protocol.wire.Api.WS_GENERATION_PARAM);
            return v != null && v.contains("3");
        } catch (IllegalArgumentException e) {
            return false; // an undecodable query is no 3.x marker: the session starts as 2.x does
        }
    }

    /**
     * The node the client named ({@code ?node_id=}): its own events are not sent to this session. None,
     * or one that is not a node id, and the session gets every event, as a 2.x client does.
     */
    static Optional<String> node(String uri) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return Optional.empty();
        }
        try {
            List<String> v = new io.netty.handler.codec.http.QueryStringDecoder(uri.substring(q + 1), false).parameters()
                    .get(dev.speckitty.protocol.wire.Api.WS_NODE_PARAM);
            return v == null || v.size() != 1 || !dev.speckitty.protocol.event.Patterns.NODE_ID.matcher(v.get(0)).matches()
                    ? Optional.empty() : Optional.of(v.get(0));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** HTTP answers of a refused upgrade. */
    static final class WsHttp {
        private WsHttp() {
        }

        static void refuse(Channel ch, long startNanos, int status, String message) {
            dev.speckitty.server.http.Responses.sendError(ch, HttpMethod.GET, dev.speckitty.protocol.wire.Api.WEBSOCKET,
                    startNanos, status, message);
        }

        static void logUpgrade(long startNanos) {
            dev.speckitty.server.http.Responses.logStatus(HttpMethod.GET, dev.speckitty.protocol.wire.Api.WEBSOCKET, 101, startNanos);
        }
    }
}
