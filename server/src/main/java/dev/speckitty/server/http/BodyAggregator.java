package dev.speckitty.server.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/** {@link HttpObjectAggregator} whose refusal of an over-cap body is the API's JSON 413, after which the connection closes. */
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
        // The rest of the body may still be on its way: closing is the only way not to read it.
        ctx.writeAndFlush(Responses.toHttp(reply, false)).addListener(ChannelFutureListener.CLOSE);
    }
}
