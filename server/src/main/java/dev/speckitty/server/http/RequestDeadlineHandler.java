package dev.speckitty.server.http;

import dev.speckitty.protocol.wire.ErrorResponse;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how long a new connection may take to send its first request head (closed: an idle socket
 * must not hold a connection slot), how long a connection may take to send a request (head and body:
 * a slow sender gets 408 and is closed) and how long a keep-alive connection may sit idle between
 * requests (closed). Not armed while the server is working on a request. State is owned by the
 * channel's event loop.
 */
final class RequestDeadlineHandler extends ChannelDuplexHandler {
    private final long firstRequestNanos;
    private final long timeoutNanos;
    private ScheduledFuture<?> timer;
    private boolean reading;
    private boolean served;

    RequestDeadlineHandler(long firstRequestNanos, long timeoutNanos) {
        this.firstRequestNanos = firstRequestNanos;
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            arm(ctx, false);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx, false);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            served = true;
            arm(ctx, true);
        }
        if (msg instanceof LastHttpContent) {
            cancel();
            reading = false;
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof FullHttpResponse || msg instanceof LastHttpContent) {
            promise = promise.unvoid();
            promise.addListener(f -> {
                if (ctx.channel().isActive() && !reading) {
                    arm(ctx, false);
                }
            });
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    private void arm(ChannelHandlerContext ctx, boolean forRequest) {
        cancel();
        reading = forRequest;
        timer = ctx.executor().schedule(() -> expire(ctx), served ? timeoutNanos : firstRequestNanos, TimeUnit.NANOSECONDS);
    }

    private void expire(ChannelHandlerContext ctx) {
        timer = null;
        if (!reading) {
            ctx.close();
            return;
        }
        Reply reply = new Reply(HttpResponseStatus.REQUEST_TIMEOUT, ErrorResponse.of("request not received in full within "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms; the connection is closed, send the request again"), Map.of());
        ctx.writeAndFlush(Responses.toHttp(reply, false)).addListener(ChannelFutureListener.CLOSE);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
