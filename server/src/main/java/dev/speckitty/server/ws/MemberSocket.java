package dev.speckitty.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.Version;
import dev.speckitty.protocol.wire.Cursor;
import dev.speckitty.protocol.wire.EventResult;
import dev.speckitty.protocol.wire.WsCodec;
import dev.speckitty.protocol.wire.WsMessage;
import dev.speckitty.server.http.Clip;
import dev.speckitty.server.http.ServerContext;
import dev.speckitty.server.store.Principal;
import dev.speckitty.server.store.SequencedEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated WebSocket connection of one team member. Frames are handled on the channel's
 * event loop; stored events arrive through {@link #deliver} from the fan-out thread under the team
 * room's order ({@link TeamHub}), which also guards {@link #helloCursor}. A session never holds more
 * than its backlog bound of unwritten frames: past it, or when the client stops answering while
 * frames are waiting, it is closed at once and its buffer dropped (a close frame could not reach a
 * client that does not read); it stops reading while its frames are unwritten, and it ends within the
 * session audit's period once its account is removed or its login revoked ({@link SessionAudit}).
 */
public final class MemberSocket extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final Logger LOG = LoggerFactory.getLogger(MemberSocket.class);
    /** How long a close frame may take to leave before the connection is closed anyway. */
    private static final long CLOSE_LINGER_MS = 1_000;

    private final ServerContext server;
    private final Principal principal;
    private final Channel channel;
    /** A spec-kitty 3.x client: its session starts with a snapshot frame, the one it waits for first. */
    private final boolean generation3;
    /** The node the client named when it connected: its own events are not sent back to it. */
    private final java.util.Optional<String> node;
    /** When the client's last frame arrived, on the hub's ticker. */
    private volatile long lastHeardNanos;
    private volatile boolean revoked;
    private long helloCursor; // guarded by the team room's monitor
    private ScheduledFuture<?> pinger; // event loop only

    MemberSocket(ServerContext server, Principal principal, Channel channel, boolean generation3, java.util.Optional<String> node) {
        this.server = server;
        this.node = node;
        this.principal = principal;
        this.channel = channel;
        this.generation3 = generation3;
        this.lastHeardNanos = server.hub().ticker().nanos();
    }

    /** Joins the team's room (blocking: reads the latest cursor), then starts reading and pinging. */
    void join() {
        try {
            server.hub().join(team(), this, () -> server.storage().events().latest(team()));
        } catch (RuntimeException e) {
            LOG.error("cannot open the event stream of team {}: {}", team(), e.toString());
            channel.eventLoop().execute(() -> close(WebSocketCloseStatus.INTERNAL_SERVER_ERROR, "cannot read the team's cursor; reconnect later"));
            return;
        }
        channel.eventLoop().execute(() -> {
            long every = server.options().pingInterval().toNanos();
            pinger = channel.eventLoop().scheduleAtFixedRate(this::pingOrExpire, every, every, TimeUnit.NANOSECONDS);
            channel.config().setAutoRead(true);
        });
    }

    private String team() {
        return principal.user().team();
    }

    /** The token family this session was opened with; it lives only as long as that family. */
    String family() {
        return principal.family();
    }

    boolean isOpen() {
        return channel.isActive();
    }

    void hello(long cursor) {
        helloCursor = cursor;
        if (generation3) {
            send(new WsMessage.Snapshot(List.of()));
        }
        send(new WsMessage.Hello(Version.current(), Cursor.of(cursor)));
    }

    /**
     * Writes the frames of the events after this session's hello cursor (but not the events of the node
     * the session named: the client holds them already), unless the session still holds
     * more than its backlog bound unwritten from earlier deliveries: then it is cut off instead (so a
     * session holds at most the bound plus one delivery, and a burst alone never cuts off a client that
     * reads). {@code frames} are shared by every session of the room; each write takes a retained
     * duplicate. Called on the fan-out thread: a write from it is a task on the session's event loop,
     * so a slow member never slows the others.
     */
    void deliver(List<SequencedEvent> events, List<ByteBuf> frames) {
        if (revoked || !channel.isActive()) {
            return;
        }
        if (unwritten() > server.options().limits().maxWsBacklog()) {
            cutOff();
            return;
        }
        boolean wrote = false;
        for (int i = 0; i < events.size(); i++) {
            SequencedEvent e = events.get(i);
            if (e.sequence() > helloCursor && (node.isEmpty() || !node.get().equals(e.nodeId()))) {
                channel.write(new TextWebSocketFrame(frames.get(i).retainedDuplicate()));
                wrote = true;
            }
        }
        if (wrote) {
            channel.flush();
        }
    }

    /** Bytes written to the channel and not yet to the socket (its pending count is safe to read from any thread). */
    private long unwritten() {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    /** Closes a session that fell more than its backlog bound behind, dropping what it did not read. */
    private void cutOff() {
        if (channel.isActive()) {
            LOG.info("closed the WebSocket of {} (team {}): more than {} bytes of events unread; it reconnects and pulls",
                    principal.user().username(), team(), server.options().limits().maxWsBacklog());
            channel.close();
        }
    }

    /** The session's account was removed or its login revoked: nothing more is sent or stored, and it is closed. */
    void revoke() {
        revoked = true;
        channel.eventLoop().execute(() -> {
            LOG.info("closed the WebSocket of {} (team {}): its account was removed or its tokens revoked", principal.user().username(), team());
            close(WebSocketCloseStatus.POLICY_VIOLATION, "your account was removed or your login revoked; log in again");
        });
    }

    void goingAway() {
        channel.eventLoop().execute(() -> close(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "server shutting down"));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        lastHeardNanos = server.hub().ticker().nanos();
        if (revoked) {
            return;
        }
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
            send(new WsMessage.Error("cannot read frame: " + Clip.of(e.getMessage(), 100)));
            return;
        }
        if (msg instanceof WsMessage.Ping p) {
            send(new WsMessage.Pong(p.timestamp()));
        } else if (msg instanceof WsMessage.Pong) {
            return; // 3.x adds its build_id: nothing to do with it beyond the liveness every frame gives
        } else if (msg instanceof WsMessage.Snapshot) {
            send(new WsMessage.Error("unexpected frame type 'snapshot' from a client (expected: ping, pong or event)"));
        } else if (msg instanceof WsMessage.ClientEvent c) {
            ingest(c.envelope());
        } else if (msg instanceof WsMessage.EventFrame) {
            // The envelope as sent, not the parsed Event re-encoded: members are kept in their order.
            ingest(dev.speckitty.protocol.json.Json.tree(text).get("event"));
        } else {
            send(new WsMessage.Error("unexpected frame type '" + Clip.echo(type(msg)) + "' from a client (expected: ping, pong or event)"));
        }
    }

    /** The wire type of a message a client may not send. */
    private static String type(WsMessage msg) {
        if (msg instanceof WsMessage.Unknown u) {
            return u.type();
        }
        if (msg instanceof WsMessage.Hello) {
            return "hello";
        }
        if (msg instanceof WsMessage.Ack) {
            return "ack";
        }
        return "error";
    }

    private void ingest(JsonNode envelope) {
        try {
            server.blocking().execute(() -> {
                WsMessage answer;
                try {
                    // Checked before storing: an event sent on the socket of a removed account or revoked login is never stored.
                    if (!server.storage().tokens().liveFamilies(List.of(family())).contains(family())) {
                        revoke();
                        return;
                    }
                    EventResult r = server.storage().events().ingest(team(), List.of(envelope)).get(0);
                    answer = new WsMessage.Ack(r.eventId(), r.status(), r.errorMessage());
                } catch (RuntimeException e) {
                    LOG.error("storing an event sent over the WebSocket failed (team {})", team(), e);
                    answer = new WsMessage.Error("cannot store the event now; send it again later");
                }
                send(answer);
            });
        } catch (RejectedExecutionException e) {
            send(new WsMessage.Error("server is shutting down; send the event again later"));
        }
    }

    private void pingOrExpire() {
        long silent = server.hub().ticker().nanos() - lastHeardNanos;
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

    /**
     * Sends a close frame and closes once it is written (or after {@link #CLOSE_LINGER_MS}); when frames
     * are still unwritten the client is not reading, a close frame would wait behind them, and the
     * connection is closed at once instead. Event loop only.
     */
    private void close(WebSocketCloseStatus status, String reason) {
        if (!channel.isActive()) {
            return;
        }
        if (unwritten() > 0) {
            channel.close();
            return;
        }
        channel.writeAndFlush(new CloseWebSocketFrame(status.code(), reason)).addListener(ChannelFutureListener.CLOSE);
        channel.eventLoop().schedule(() -> channel.close(), CLOSE_LINGER_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Replies (pongs, acks, errors) the client does not read stop its frames being read: they cannot pile up.
        if (pinger != null) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (pinger != null) {
            pinger.cancel(false);
        }
        server.hub().leave(team(), this);
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
            ctx.executor().schedule(() -> channel.close(), CLOSE_LINGER_MS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupt) {
            WebSocketCloseStatus status = corrupt.closeStatus() == null ? WebSocketCloseStatus.PROTOCOL_ERROR : corrupt.closeStatus();
            closeAfterDrain(ctx, status, status.code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code() ? tooBig() : "bad frame");
        } else if (cause instanceof TooLongFrameException) {
            closeAfterDrain(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG, tooBig());
        } else {
            LOG.debug("WebSocket of {} failed: {}", principal.user().username(), cause.toString());
            ctx.close();
        }
    }
}
