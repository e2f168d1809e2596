package dev.speckitty.server.http;

import dev.speckitty.protocol.wire.Api;
import dev.speckitty.server.oauth.OAuthEndpoints;
import dev.speckitty.server.ws.WsUpgrade;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one request at a time per connection, in order: the channel does not read by itself (auto
 * read is off and a {@code FlowControlHandler} hands over one decoded object per read), so this
 * handler asks for the next request only once the previous answer is written in full and the
 * connection is writable again. That keeps pipelined answers in request order, none dropped, a
 * {@code Connection: close} honoured after everything before it, and a client that does not read
 * its answers holding one answer, never a backlog. Each request is copied off its buffer (released
 * first, whatever happens next) and run on the blocking executor, logins on their own
 * ({@link Logins}); WebSocket upgrades go to {@link WsUpgrade}. One instance per connection; its
 * state is owned by the channel's event loop.
 */
public final class ApiHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

    private final ServerContext server;
    private boolean readWhenWritable;

    public ApiHandler(ServerContext server) {
        this.server = server;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest full)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        long start = System.nanoTime();
        Target target = Target.of(full.uri());
        HttpMethod method = full.method();
        if (target.path().equals(Api.WEBSOCKET) && method.equals(HttpMethod.GET)
                && full.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            WsUpgrade.start(ctx, full, server, start); // takes ownership of the request
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(full);
        Request req;
        try {
            Map<String, List<String>> query;
            try {
                query = new QueryStringDecoder(target.query(), StandardCharsets.UTF_8, false).parameters();
            } catch (IllegalArgumentException e) {
                respond(ctx, method, target.path(), start, Reply.error(HttpResponseStatus.BAD_REQUEST, "query: '"
                        + Clip.echo(target.query()) + "' cannot be decoded (expected: name=value pairs, percent-escaped)"), keepAlive);
                return;
            }
            req = new Request(method, target.path(), query, Optional.ofNullable(full.headers().get(HttpHeaderNames.AUTHORIZATION)),
                    Optional.ofNullable(full.headers().get(HttpHeaderNames.CONTENT_ENCODING)), ByteBufUtil.getBytes(full.content()),
                    client(ctx.channel()), kept(full));
        } finally {
            full.release();
        }
        if (req.path().equals(Api.TOKEN) && method.equals(HttpMethod.POST)) {
            server.logins().answer(req, reply -> inLoop(ctx, () -> respond(ctx, method, req.path(), start, reply, keepAlive)));
            return;
        }
        if (OAuthEndpoints.signsIn(req)) {
            server.logins().answerPage(req, reply -> inLoop(ctx, () -> respond(ctx, method, req.path(), start, reply, keepAlive)));
            return;
        }
        try {
            server.blocking().execute(() -> {
                Reply reply = answer(req);
                inLoop(ctx, () -> respond(ctx, method, req.path(), start, reply, keepAlive));
            });
        } catch (RejectedExecutionException e) {
            respond(ctx, method, req.path(), start, Reply.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "server is shutting down or overloaded; retry in a few seconds").withHeader("Retry-After", "5"), false);
        }
    }

    private static Map<String, String> kept(FullHttpRequest full) {
        Map<String, String> kept = new java.util.HashMap<>();
        for (String name : Request.KEPT_HEADERS) {
            String v = full.headers().get(name);
            if (v != null) {
                kept.put(name, v);
            }
        }
        return Map.copyOf(kept);
    }

    private static InetAddress client(Channel ch) {
        return ch.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : InetAddress.getLoopbackAddress();
    }

    private static void inLoop(ChannelHandlerContext ctx, Runnable task) {
        if (ctx.executor().inEventLoop()) {
            task.run();
        } else {
            ctx.executor().execute(task);
        }
    }

    /**
     * Writes the answer; then closes, or reads the next request once it is all written. The read is
     * asked for in a task of its own: a write can complete within channelRead, and the flow control
     * handler loses a read asked for while it is handing over a message.
     */
    private void respond(ChannelHandlerContext ctx, HttpMethod method, String path, long start, Reply reply, boolean keepAlive) {
        Responses.send(ctx.channel(), method, path, start, reply, keepAlive).addListener(f -> {
            if (!keepAlive) {
                return; // send() closes
            }
            if (!f.isSuccess()) {
                ctx.close();
            } else {
                ctx.executor().execute(() -> readNext(ctx));
            }
        });
    }

    private void readNext(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (ctx.channel().isWritable()) {
            ctx.read();
        } else {
            readWhenWritable = true;
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (readWhenWritable && ctx.channel().isWritable()) {
            readWhenWritable = false;
            ctx.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    private Reply answer(Request req) {
        try {
            return server.endpoints().handle(req);
        } catch (RuntimeException e) {
            LOG.error("{} failed", req, e);
            return Reply.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error while answering " + req
                    + "; the server log has the details, retry later");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
