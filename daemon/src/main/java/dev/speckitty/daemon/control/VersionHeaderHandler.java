package dev.speckitty.daemon.control;

import dev.speckitty.protocol.control.ControlApi;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;

/**
 * Stamps {@code X-Spec-Kitty-Version} on every response, including the ones Netty's own handlers
 * write (413 from the aggregator, 100 Continue), so the CLI can always compare versions. Stateless.
 */
@ChannelHandler.Sharable
final class VersionHeaderHandler extends ChannelOutboundHandlerAdapter {
    private final String version;

    VersionHeaderHandler(String version) {
        this.version = version;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response) {
            response.headers().set(ControlApi.VERSION_HEADER, version);
        }
        ctx.write(msg, promise);
    }
}
