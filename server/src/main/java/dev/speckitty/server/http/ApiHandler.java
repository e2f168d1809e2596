package dev.speckitty.server.http;

import dev.speckitty.protocol.wire.Api;
import dev.speckitty.server.ws.WsUpgrade;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes each aggregated request off the event loop: copies what it needs, releases the buffer, stops
 * reading (one request in flight per connection keeps answers in order), runs {@link Endpoints} on the
 * blocking executor and writes the answer back. WebSocket upgrades go to {@link WsUpgrade}.
 * One instance per connection; it keeps no state between requests.
 */
public final class ApiHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

    private final ServerContext server;

    public ApiHandler(ServerContext server) {
        this.server = server;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest full)) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        long start = System.nanoTime();
        Channel ch = ctx.channel();
        DecoderResult decoded = full.decoderResult();
        String path = new QueryStringDecoder(full.uri()).path();
        HttpMethod method = full.method();
        boolean keepAlive = HttpUtil.isKeepAlive(full);
        if (decoded.isFailure()) {
            full.release();
            Responses.send(ch, method, path, start, Reply.error(HttpResponseStatus.BAD_REQUEST,
                    "malformed HTTP request: " + decoded.cause().getMessage()), false);
            return;
        }
        if (path.equals(Api.WEBSOCKET) && method.equals(HttpMethod.GET)
                && full.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            ch.config().setAutoRead(false);
            WsUpgrade.start(ctx, full, server, start); // takes ownership of the request
            return;
        }
        Request req;
        try {
            QueryStringDecoder qs = new QueryStringDecoder(full.uri());
            req = new Request(method, path, qs.parameters(),
                    Optional.ofNullable(full.headers().get(HttpHeaderNames.AUTHORIZATION)),
                    Optional.ofNullable(full.headers().get(HttpHeaderNames.CONTENT_ENCODING)),
                    ByteBufUtil.getBytes(full.content()));
        } finally {
            full.release();
        }
        ch.config().setAutoRead(false);
        try {
            server.blocking().execute(() -> {
                Reply reply = answer(req);
                ch.eventLoop().execute(() -> {
                    Responses.send(ch, method, path, start, reply, keepAlive);
                    ch.config().setAutoRead(true);
                });
            });
        } catch (RejectedExecutionException e) {
            Responses.send(ch, method, path, start, Reply.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "server is shutting down or overloaded; retry in a few seconds"), false);
        }
    }

    private Reply answer(Request req) {
        try {
            return server.endpoints().handle(req);
        } catch (RuntimeException e) {
            LOG.error("{} failed", req, e);
            return Reply.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error while answering " + req
                    + " (" + e.getClass().getSimpleName() + "); the server log has the details, retry later");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
