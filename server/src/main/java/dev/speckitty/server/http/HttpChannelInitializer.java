package dev.speckitty.server.http;

import dev.speckitty.server.ServerLimits;
import dev.speckitty.server.ws.WsUpgrade;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.util.Optional;

/**
 * The pipeline of each accepted connection: [TLS] → connection caps → HTTP codec (strict line
 * parsing) → flow control (one decoded object per read: the channel never reads by itself) → the
 * reads of one request at a time → head check → deadlines → body cap → sliced writes of large answers → API. The WebSocket upgrade removes
 * what only HTTP needs ({@link WsUpgrade#HTTP_ONLY}).
 */
public final class HttpChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final ServerContext server;
    private final ConnectionLimiter limiter;
    private final Optional<SslContext> tls;

    public HttpChannelInitializer(ServerContext server, ConnectionLimiter limiter, Optional<SslContext> tls) {
        this.server = server;
        this.limiter = limiter;
        this.tls = tls;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        server.channels().add(ch);
        ServerLimits limits = server.options().limits();
        ChannelPipeline p = ch.pipeline();
        tls.ifPresent(ctx -> p.addLast("tls", ctx.newHandler(ch.alloc())));
        p.addLast("limiter", limiter);
        p.addLast("http", new HttpServerCodec(new HttpDecoderConfig().setStrictLineParsing(true)));
        p.addLast(WsUpgrade.FLOW_HANDLER, new FlowControlHandler());
        p.addLast(WsUpgrade.READS_HANDLER, new RequestReads());
        p.addLast(WsUpgrade.HEAD_CHECK_HANDLER, new RequestHeadCheck());
        p.addLast(WsUpgrade.DEADLINE_HANDLER, new RequestDeadlineHandler(limits.firstRequestTimeout().toNanos(),
                limits.requestReadTimeout().toNanos()));
        p.addLast("aggregator", new BodyAggregator(limits.maxCompressedBody()));
        p.addLast(WsUpgrade.SLICED_WRITES_HANDLER, new ChunkedWriteHandler());
        p.addLast(WsUpgrade.API_HANDLER, new ApiHandler(server));
    }
}
