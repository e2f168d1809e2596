package dev.speckitty.server.http;

import dev.speckitty.server.ws.WsUpgrade;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import java.util.Optional;

/** The pipeline of each accepted connection: [TLS] → connection cap → HTTP codec → read deadline → body cap → API. */
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
        ChannelPipeline p = ch.pipeline();
        tls.ifPresent(ctx -> p.addLast("tls", ctx.newHandler(ch.alloc())));
        p.addLast("limiter", limiter);
        p.addLast("http", new HttpServerCodec());
        p.addLast(WsUpgrade.DEADLINE_HANDLER, new RequestDeadlineHandler(server.options().limits().requestReadTimeout().toNanos()));
        p.addLast("aggregator", new BodyAggregator(server.options().limits().maxCompressedBody()));
        p.addLast(WsUpgrade.API_HANDLER, new ApiHandler(server));
    }
}
