package dev.speckitty.e2e.fault;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * One WebSocket connection relayed as raw bytes. Once frozen it drops every byte both ways and
 * never closes the client (a NAT that forgot the flow): frames cannot resume mid-stream anyway.
 * The frozen flag is volatile: the test thread sets it, the event loop reads it.
 */
final class WsLink {
    private final FaultProxy proxy;
    private final Channel front;
    private volatile Channel back;
    private volatile boolean frozen;

    private WsLink(FaultProxy proxy, Channel front) {
        this.proxy = proxy;
        this.front = front;
    }

    /** True if this call froze it. */
    boolean freeze() {
        if (frozen) {
            return false;
        }
        frozen = true;
        return true;
    }

    static void install(FaultProxy proxy, ChannelHandlerContext sniffer, ByteBuf head) {
        Fault fault = proxy.nextRequest();
        Channel front = sniffer.channel();
        if (fault == Fault.BLACK_HOLE || fault.status() != 0 || fault.name().startsWith("RESET")) {
            proxy.counted();
            head.release();
            if (fault == Fault.BLACK_HOLE) {
                sniffer.pipeline().replace(sniffer.handler(), "hole", new Swallow());
            } else {
                FaultProxy.reset(front);
            }
            return;
        }
        WsLink link = new WsLink(proxy, front);
        front.config().setAutoRead(false);
        sniffer.pipeline().replace(sniffer.handler(), "relay", new Relay(link, true));
        proxy.connect(front.eventLoop(), new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new Relay(link, false));
            }
        }).addListener(f -> {
            if (!f.isSuccess()) {
                head.release();
                FaultProxy.reset(front);
                return;
            }
            link.back = ((io.netty.channel.ChannelFuture) f).channel();
            proxy.register(link);
            link.pass(head, true);
            front.config().setAutoRead(true);
        });
    }

    private void pass(Object msg, boolean fromClient) {
        Channel to = fromClient ? back : front;
        if (frozen || to == null || !(msg instanceof ByteBuf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        to.writeAndFlush(msg);
    }

    private void closed(boolean client) {
        proxy.unregister(this);
        if (client) {
            if (back != null) {
                back.close();
            }
        } else if (!frozen) {
            front.close(); // a frozen link hides the server's close too
        }
    }

    /** Relays one side's bytes to the other. */
    private static final class Relay extends ChannelInboundHandlerAdapter {
        private final WsLink link;
        private final boolean client;

        Relay(WsLink link, boolean client) {
            this.link = link;
            this.client = client;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            link.pass(msg, client);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            link.closed(client);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Reads and drops everything: a black hole. */
    static final class Swallow extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
