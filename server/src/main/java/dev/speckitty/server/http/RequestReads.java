package dev.speckitty.server.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Turns the API handler's "next request, please" into exactly the reads that request needs, right
 * behind the {@code FlowControlHandler} (which hands over one decoded object per read). At most one
 * read is outstanding, so nothing beyond the current request is handed on while it is served; a read
 * that ends without an object (TLS records, half a request head) is asked for again until the request
 * is complete; the reads the body aggregator asks for while a body is arriving pass as long as none
 * is outstanding. One instance per connection; its state is owned by the channel's event loop.
 */
final class RequestReads extends ChannelDuplexHandler {
    /** A request is wanted (asked for and not yet complete). */
    private boolean wanted;
    /** A read was passed on and has not yet produced an object or a read completion. */
    private boolean outstanding;

    @Override
    public void read(ChannelHandlerContext ctx) {
        wanted = true;
        if (!outstanding) {
            outstanding = true;
            ctx.read();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        outstanding = false;
        if (msg instanceof LastHttpContent) {
            wanted = false;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        outstanding = false;
        if (wanted) {
            outstanding = true;
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }
}
