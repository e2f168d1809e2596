package dev.speckitty.e2e.fault;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The client side of a plain HTTP connection: collects each request, applies the fault that was set
 * when its head arrived, forwards it on a fresh backend connection and writes the (faulty) answer.
 * Owned by the connection's event loop.
 */
final class HttpFront extends ChannelInboundHandlerAdapter {
    private final FaultProxy proxy;
    private HttpRequest head;
    private CompositeByteBuf body;
    private Fault fault = Fault.NONE;
    private boolean discarding;

    HttpFront(FaultProxy proxy) {
        this.proxy = proxy;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest && isUpgrade((HttpRequest) msg)) {
                // The JDK client upgrades a kept-alive connection: from here on it is a raw WebSocket relay.
                discard();
                discarding = true;
                ctx.pipeline().remove(io.netty.handler.codec.http.HttpServerCodec.class);
                WsLink.install(proxy, ctx, rawHead((HttpRequest) msg));
                return;
            }
            if (msg instanceof HttpRequest) {
                start(ctx, (HttpRequest) msg);
            }
            if (msg instanceof HttpContent && !discarding && body != null) {
                body.addComponent(true, ((HttpContent) msg).content().retain());
                if (body.readableBytes() > FaultProxy.MAX_BODY) {
                    FaultProxy.reset(ctx.channel());
                    discard();
                } else if (msg instanceof LastHttpContent) {
                    dispatch(ctx);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private static boolean isUpgrade(HttpRequest r) {
        return "websocket".equalsIgnoreCase(r.headers().get(HttpHeaderNames.UPGRADE, ""));
    }

    private static ByteBuf rawHead(HttpRequest r) {
        StringBuilder s = new StringBuilder(r.method().name()).append(' ').append(r.uri()).append(" HTTP/1.1\r\n");
        for (Map.Entry<String, String> h : r.headers()) {
            s.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        return Unpooled.copiedBuffer(s.append("\r\n"), StandardCharsets.ISO_8859_1);
    }

    private void start(ChannelHandlerContext ctx, HttpRequest request) {
        discard();
        head = request;
        body = ctx.alloc().compositeBuffer(1024);
        fault = proxy.nextRequest();
        if (fault.http()) {
            proxy.counted();
        }
        if (fault == Fault.RESET_BEFORE_BODY) {
            discard();
            discarding = true;
            FaultProxy.reset(ctx.channel());
        } else if (fault == Fault.BLACK_HOLE) {
            discard();
            discarding = true; // read on, answer never
        } else {
            discarding = false;
        }
    }

    private void dispatch(ChannelHandlerContext ctx) {
        int bodyLength = body.readableBytes();
        ByteBuf request = encode(head, body);
        discard();
        Channel client = ctx.channel();
        int status = fault.status();
        if (status != 0) {
            request.release();
            byte[] json = ("{\"error\":\"injected " + status + " by the fault proxy\",\"details\":[]}").getBytes(StandardCharsets.UTF_8);
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(json));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json").setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
            client.writeAndFlush(r);
            return;
        }
        Fault f = fault;
        proxy.connect(client.eventLoop(), new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpResponseDecoder(), new HttpObjectAggregator(FaultProxy.MAX_BODY), new Back(client, f));
            }
        }).addListener(done -> {
            Channel back = ((io.netty.channel.ChannelFuture) done).channel();
            if (!done.isSuccess()) {
                request.release();
                FaultProxy.reset(client); // the server is down: the client sees its connection die
                return;
            }
            if (f == Fault.RESET_DURING_BODY) {
                int headLength = request.readableBytes() - bodyLength;
                int half = headLength + (request.readableBytes() - headLength) / 2;
                back.writeAndFlush(request.retainedSlice(0, half)).addListener(w -> {
                    FaultProxy.reset(back);
                    FaultProxy.reset(client);
                });
                request.release();
            } else {
                back.writeAndFlush(request);
            }
        });
    }

    /** The request as bytes, with Content-Length instead of chunks, and Connection: close (one request per backend connection). */
    private ByteBuf encode(HttpRequest request, CompositeByteBuf content) {
        StringBuilder s = new StringBuilder(request.method().name()).append(' ').append(request.uri()).append(" HTTP/1.1\r\n");
        for (Map.Entry<String, String> h : request.headers()) {
            String name = h.getKey();
            if (name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("transfer-encoding") || name.equalsIgnoreCase("connection")) {
                continue;
            }
            s.append(name).append(": ").append(h.getValue()).append("\r\n");
        }
        s.append("Content-Length: ").append(content.readableBytes()).append("\r\nConnection: close\r\n\r\n");
        ByteBuf headBytes = Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
        return Unpooled.wrappedBuffer(headBytes, content.retain());
    }

    private void discard() {
        if (body != null) {
            body.release();
            body = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        discard();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        discard();
        ctx.close();
    }

    /** Receives the server's whole answer and writes it to the client, faulty as asked. */
    private static final class Back extends ChannelInboundHandlerAdapter {
        private final Channel client;
        private final Fault fault;
        private boolean answered;

        Back(Channel client, Fault fault) {
            this.client = client;
            this.fault = fault;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof FullHttpResponse)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            answered = true;
            FullHttpResponse r = (FullHttpResponse) msg;
            ctx.close();
            r.headers().remove(HttpHeaderNames.CONNECTION);
            switch (fault) {
                case LATENCY:
                    client.eventLoop().schedule(() -> {
                        client.writeAndFlush(r);
                    }, FaultProxy.LATENCY.toMillis(), TimeUnit.MILLISECONDS);
                    break;
                case RESET_AFTER_BODY:
                    r.release();
                    FaultProxy.reset(client);
                    break;
                case TRUNCATED_BODY:
                    truncate(r);
                    break;
                case MALFORMED_JSON:
                    malformed(r);
                    break;
                case SLOW_DRIP:
                    drip(r);
                    break;
                default:
                    client.writeAndFlush(r);
            }
        }

        private void truncate(FullHttpResponse r) {
            HttpResponse headOnly = new DefaultHttpResponse(HttpVersion.HTTP_1_1, r.status(), r.headers());
            headOnly.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
            client.write(headOnly);
            ByteBuf half = r.content().retainedSlice(0, r.content().readableBytes() / 2);
            r.release();
            client.writeAndFlush(new DefaultHttpContent(half)).addListener(f -> client.close());
        }

        private void malformed(FullHttpResponse r) {
            byte[] junk = "{\"results\": [{\"event_id\": <html>502 Bad Gateway".getBytes(StandardCharsets.UTF_8);
            FullHttpResponse bad = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, r.status(), Unpooled.wrappedBuffer(junk));
            bad.headers().set(r.headers()).setInt(HttpHeaderNames.CONTENT_LENGTH, junk.length);
            r.release();
            client.writeAndFlush(bad);
        }

        private void drip(FullHttpResponse r) {
            HttpResponse headOnly = new DefaultHttpResponse(HttpVersion.HTTP_1_1, r.status(), r.headers());
            headOnly.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
            client.writeAndFlush(headOnly);
            ByteBuf content = r.content().retain();
            r.release();
            dripNext(content);
        }

        private void dripNext(ByteBuf content) {
            if (!client.isActive()) {
                content.release();
                return;
            }
            int n = Math.min(FaultProxy.DRIP_BYTES, content.readableBytes());
            if (n == 0) {
                content.release();
                client.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                return;
            }
            client.writeAndFlush(new DefaultHttpContent(content.readRetainedSlice(n)));
            client.eventLoop().schedule(() -> dripNext(content), FaultProxy.DRIP_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!answered) {
                FaultProxy.reset(client); // the server died mid-request: so does the client's connection
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
