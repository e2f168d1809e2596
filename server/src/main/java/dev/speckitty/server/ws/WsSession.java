package dev.speckitty.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.Version;
import dev.speckitty.protocol.wire.Cursor;
import dev.speckitty.protocol.wire.EventResult;
import dev.speckitty.protocol.wire.WsCodec;
import dev.speckitty.protocol.wire.WsMessage;
import dev.speckitty.server.http.ServerContext;
import dev.speckitty.server.store.SequencedEvent;
import dev.speckitty.server.store.User;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated WebSocket connection of one team member. Frames are handled on the channel's
 * event loop; stored events arrive through {@link #deliver} from the ingesting thread under the
 * team room's monitor ({@link TeamHub}), which also guards {@link #helloCursor}.
 */
public final class WsSession extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final Logger LOG = LoggerFactory.getLogger(WsSession.class);

    private final ServerContext server;
    private final User user;
    private final Channel channel;
    private volatile long lastHeardNanos = System.nanoTime();
    private long helloCursor; // guarded by the team room's monitor
    private ScheduledFuture<?> pinger; // event loop only

    WsSession(ServerContext server, User user, Channel channel) {
        this.server = server;
        this.user = user;
        this.channel = channel;
    }

    /** Joins the team's room (blocking: reads the latest cursor), then starts reading and pinging. */
    void join() {
        try {
            server.hub().join(user.team(), this, () -> server.storage().events().latest(user.team()));
        } catch (RuntimeException e) {
            LOG.error("cannot open the event stream of team {}: {}", user.team(), e.toString());
            close(WebSocketCloseStatus.INTERNAL_SERVER_ERROR, "cannot read the team's cursor; reconnect later");
            return;
        }
        channel.eventLoop().execute(() -> {
            long every = server.options().pingInterval().toNanos();
            pinger = channel.eventLoop().scheduleAtFixedRate(this::pingOrExpire, every, every, TimeUnit.NANOSECONDS);
            channel.config().setAutoRead(true);
        });
    }

    boolean isOpen() {
        return channel.isActive();
    }

    void hello(long cursor) {
        helloCursor = cursor;
        send(new WsMessage.Hello(Version.current(), Cursor.of(cursor)));
    }

    void deliver(List<SequencedEvent> events, List<String> frames) {
        boolean wrote = false;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).sequence() > helloCursor) {
                channel.write(new TextWebSocketFrame(frames.get(i)));
                wrote = true;
            }
        }
        if (wrote) {
            channel.flush();
        }
        if (!channel.isWritable()) {
            // Buffering without bound would let one stalled client exhaust memory; it pulls on reconnect.
            close(WebSocketCloseStatus.TRY_AGAIN_LATER, "client too slow to keep up; reconnect and pull from your cursor");
        }
    }

    void goingAway() {
        close(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "server shutting down");
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        lastHeardNanos = System.nanoTime();
        if (frame instanceof TextWebSocketFrame text) {
            onText(text.text());
        } else if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        } else if (frame instanceof CloseWebSocketFrame) {
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE)).addListener(ChannelFutureListener.CLOSE);
        } else if (frame instanceof BinaryWebSocketFrame) {
            send(new WsMessage.Error("binary frames are not supported; send JSON text frames"));
        }
        // Pong control frames only refresh lastHeardNanos.
    }

    private void onText(String text) {
        WsMessage msg;
        try {
            msg = WsCodec.decode(text);
        } catch (RuntimeException e) {
            send(new WsMessage.Error("cannot read frame: " + e.getMessage()));
            return;
        }
        if (msg instanceof WsMessage.Ping p) {
            send(new WsMessage.Pong(p.timestamp()));
        } else if (msg instanceof WsMessage.Pong) {
            return;
        } else if (msg instanceof WsMessage.ClientEvent c) {
            ingest(c.envelope());
        } else if (msg instanceof WsMessage.EventFrame e) {
            ingest(e.event().toTree());
        } else {
            String type = msg instanceof WsMessage.Unknown u ? u.type() : msg.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
            send(new WsMessage.Error("unexpected frame type '" + type + "' from a client (expected: ping, pong or event)"));
        }
    }

    private void ingest(JsonNode envelope) {
        try {
            server.blocking().execute(() -> {
                WsMessage answer;
                try {
                    EventResult r = server.storage().events().ingest(user.team(), List.of(envelope)).get(0);
                    answer = new WsMessage.Ack(r.eventId(), r.status(), r.errorMessage());
                } catch (RuntimeException e) {
                    LOG.error("storing an event sent over the WebSocket failed (team {})", user.team(), e);
                    answer = new WsMessage.Error("cannot store the event now (" + e.getClass().getSimpleName()
                            + "); send it again later");
                }
                send(answer);
            });
        } catch (RejectedExecutionException e) {
            send(new WsMessage.Error("server is shutting down; send the event again later"));
        }
    }

    private void pingOrExpire() {
        long silent = System.nanoTime() - lastHeardNanos;
        if (silent > server.options().pongTimeout().toNanos()) {
            close(WebSocketCloseStatus.POLICY_VIOLATION, "no frame from the client within "
                    + server.options().pongTimeout().toMillis() + " ms (answer every ping with a pong)");
            return;
        }
        send(new WsMessage.Ping(server.options().clock().millis()));
    }

    private void send(WsMessage msg) {
        channel.writeAndFlush(new TextWebSocketFrame(WsCodec.encode(msg)));
    }

    private void close(WebSocketCloseStatus status, String reason) {
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(status.code(), reason)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (pinger != null) {
            pinger.cancel(false);
        }
        server.hub().leave(user.team(), this);
        super.channelInactive(ctx);
    }

    private String tooBig() {
        return "frame larger than " + server.options().limits().maxWsFrame() + " bytes";
    }

    /**
     * Sends the close frame, then closes a second later: the decoder discards the rest of the bad
     * frame meanwhile. Closing with unread input would make the kernel send a reset, and the client
     * would never see the close code.
     */
    private void closeAfterDrain(ChannelHandlerContext ctx, WebSocketCloseStatus status, String reason) {
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(status.code(), reason));
            ctx.executor().schedule(() -> channel.close(), 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException corrupt) {
            WebSocketCloseStatus status = corrupt.closeStatus() == null ? WebSocketCloseStatus.PROTOCOL_ERROR : corrupt.closeStatus();
            closeAfterDrain(ctx, status, status.code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code() ? tooBig() : "bad frame");
        } else if (cause instanceof TooLongFrameException) {
            closeAfterDrain(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG, tooBig());
        } else {
            LOG.debug("WebSocket of {} failed: {}", user.username(), cause.toString());
            ctx.close();
        }
    }
}
