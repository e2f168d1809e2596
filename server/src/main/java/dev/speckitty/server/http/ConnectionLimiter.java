package dev.speckitty.server.http;

import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.wire.ErrorResponse;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps open connections: one over the cap is answered with a raw 503 JSON response and closed before
 * any byte of it is read. Shared by every connection; the count is an atomic.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final byte[] refusal;

    public ConnectionLimiter(int max) {
        this.max = max;
        byte[] body = Json.writeBytes(ErrorResponse.of("server busy: " + max
                + " connections open (the most it accepts); retry in a few seconds"));
        String head = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\nRetry-After: 5\r\nConnection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        refusal = new byte[h.length + body.length];
        System.arraycopy(h, 0, refusal, 0, h.length);
        System.arraycopy(body, 0, refusal, h.length, body.length);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (open.incrementAndGet() > max) {
            LOG.warn("refused a connection from {}: {} connections open (max {})", ctx.channel().remoteAddress(), open.get() - 1, max);
            ctx.channel().config().setAutoRead(false);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(refusal)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        open.decrementAndGet();
        super.channelInactive(ctx);
    }

    public int open() {
        return open.get();
    }
}
