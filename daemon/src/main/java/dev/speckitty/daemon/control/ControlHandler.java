package dev.speckitty.daemon.control;

import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.wire.ErrorResponse;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's requests, answered one at a time and in order (HTTP/1.1 pipelining), because
 * each answer is produced later on the blocking executor. All state is owned by the channel's
 * event loop.
 */
final class ControlHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(ControlHandler.class);

    private final ControlRoutes routes;
    private final ArrayDeque<ControlRequest> pending = new ArrayDeque<>();
    private boolean busy;

    ControlHandler(ControlRoutes routes) {
        this.routes = routes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            byte[] body = Json.writeBytes(ErrorResponse.of("malformed HTTP request: " + request.decoderResult().cause().getMessage()));
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST,
                    Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, ControlRoutes.JSON);
            HttpUtil.setContentLength(response, body.length);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        pending.add(ControlRequest.copyOf(request));
        if (!busy) {
            next(ctx);
        }
    }

    private void next(ChannelHandlerContext ctx) {
        ControlRequest request = pending.poll();
        if (request == null) {
            busy = false;
            return;
        }
        busy = true;
        // onDone runs in a write listener, i.e. on this channel's event loop.
        routes.dispatch(request, new ControlReply(ctx.channel(), request.keepAlive(), () -> next(ctx)));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("control API connection failed", cause);
        ctx.close();
    }
}
