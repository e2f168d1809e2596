package dev.speckitty.server.http;

import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.wire.ErrorResponse;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps open connections, in all and per client address, so that one address cannot take every slot:
 * a connection over either cap is answered with a raw 503 JSON response ({@code Retry-After: 5}) and
 * closed before any byte of it is read. Shared by every connection; the counts are atomic (the
 * per-address ones in a concurrent map that holds only addresses with open connections).
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);
    private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf("speckitty.counted-address");
    private static final long WARN_EVERY_NANOS = 10_000_000_000L;

    private final int max;
    private final int maxPerAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final AtomicLong refusedSinceWarning = new AtomicLong();
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);
    private final byte[] busy;
    private final byte[] busyFromAddress;

    public ConnectionLimiter(int max, int maxPerAddress) {
        this.max = max;
        this.maxPerAddress = maxPerAddress;
        this.busy = refusal("server busy: " + max + " connections open (the most it accepts); retry in a few seconds");
        this.busyFromAddress = refusal("too many connections from your address: " + maxPerAddress
                + " open (the most one address may hold); close idle ones or retry in a few seconds");
    }

    private static byte[] refusal(String message) {
        byte[] body = Json.writeBytes(ErrorResponse.of(message));
        byte[] head = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\nRetry-After: 5\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetAddress address = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        ctx.channel().attr(COUNTED).set(address);
        boolean overall = open.incrementAndGet() > max;
        boolean fromAddress = address != null && perAddress.merge(address, 1, Integer::sum) > maxPerAddress;
        if (overall || fromAddress) {
            warn(address, overall);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(overall ? busy : busyFromAddress)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        super.channelActive(ctx);
    }

    /** One warning per ten seconds at most, with the count: a flood of refusals must not flood the log. */
    private void warn(InetAddress address, boolean overall) {
        long refused = refusedSinceWarning.incrementAndGet();
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            refusedSinceWarning.addAndGet(-refused);
            LOG.warn("refused {} connection(s) in the last {} s, the latest from {}: {}", refused, (now - last) / 1_000_000_000L,
                    address == null ? "?" : address.getHostAddress(),
                    overall ? open.get() - 1 + " open (max " + max + ")" : "its address holds the most allowed (" + maxPerAddress + ")");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        open.decrementAndGet();
        InetAddress address = ctx.channel().attr(COUNTED).getAndSet(null);
        if (address != null) {
            perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        }
        super.channelInactive(ctx);
    }

    public int open() {
        return open.get();
    }
}
