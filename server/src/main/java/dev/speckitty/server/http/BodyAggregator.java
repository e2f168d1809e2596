package dev.speckitty.server.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** {@link HttpObjectAggregator} whose refusal of an over-cap body is the API's JSON 413, after which the connection closes
 * (after a short linger, so that the client reads the answer). */
final class BodyAggregator extends HttpObjectAggregator {
    private final int max;

    BodyAggregator(int max) {
        super(max);
        this.max = max;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        long start = System.nanoTime();
        HttpMethod method = oversized instanceof HttpRequest r ? r.method() : HttpMethod.POST;
        String path = oversized instanceof HttpRequest r ? Target.of(r.uri()).path() : "?";
        Reply reply = Reply.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "body: more than " + max
                + " bytes (expected: at most " + max + " bytes, compressed); send fewer events per batch");
        Responses.log(method, path, reply.status(), start);
        // The rest of the body may still be on its way. Closing at once with it unread makes the
        // kernel reset the connection, and a client still sending can lose the 413 it was sent. So:
        // the answer, then our half of the connection closed (the client sees the end), the rest
        // discarded by the aggregator for at most LINGER, then the close.
        ctx.writeAndFlush(Responses.toHttp(reply, false)).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess() || !(ctx.channel() instanceof DuplexChannel duplex)) {
                ctx.close();
                return;
            }
            duplex.shutdownOutput();
            ctx.executor().schedule(() -> ctx.close(), LINGER.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    /** How long the rest of a refused body is read and dropped before the connection closes. */
    static final Duration LINGER = Duration.ofSeconds(2);
}
