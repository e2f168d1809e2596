package dev.speckitty.daemon.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.testing.VirtualTime;
import dev.speckitty.protocol.wire.WsCodec;
import dev.speckitty.protocol.wire.WsMessage;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The link's protocol handler in an {@code EmbeddedChannel}, with no socket: pongs, its own pings, and
 * the dead link, in virtual time. The event loop's timers are moved with the channel's clock and the
 * silence is read from the injected ticker, moved alongside; nothing sleeps.
 */
class ServerLinkTest {
    private static final Duration PING_INTERVAL = Duration.ofSeconds(5);
    private static final Duration DEAD_AFTER = Duration.ofSeconds(12);
    private static final Duration MS = Duration.ofMillis(1);

    private final VirtualTime ticker = new VirtualTime();
    private final List<String> closed = new ArrayList<>();
    private final List<String> hellos = new ArrayList<>();
    private ServerLink.Handler handler;
    private EmbeddedChannel channel;

    @BeforeEach
    void open() {
        handler = new ServerLink.Handler(new ServerLink.Listener() {
            @Override
            public void onHello(String cursor) {
                hellos.add(cursor);
            }

            @Override
            public void onEvent(String cursor, Event event) {
            }

            @Override
            public void onClosed(String reason) {
                closed.add(reason);
            }
        }, new CompletableFuture<>(), PING_INTERVAL, DEAD_AFTER, ticker);
        channel = new EmbeddedChannel(handler);
        channel.freezeTime();
        channel.pipeline().fireUserEventTriggered(WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
        receive(new WsMessage.Hello("9.9.9", "7"));
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    /** Both clocks move: the event loop's (its timers fire) and the ticker (what the silence is measured on). */
    private void pass(Duration d) {
        ticker.advance(d);
        channel.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }

    private void receive(WsMessage message) {
        channel.writeInbound(new TextWebSocketFrame(WsCodec.encode(message)));
    }

    /** The frames the link wrote since the last call, decoded (and released). */
    private List<WsMessage> sent() {
        List<WsMessage> out = new ArrayList<>();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            TextWebSocketFrame frame = (TextWebSocketFrame) o;
            try {
                out.add(WsCodec.decode(frame.text()));
            } finally {
                frame.release();
            }
        }
        return out;
    }

    private static long pings(List<WsMessage> messages) {
        return messages.stream().filter(m -> m instanceof WsMessage.Ping).count();
    }

    @Test
    void helloOpensTheLinkAndEachPingIsAnsweredWithAPongCarryingItsTimestamp() {
        assertTrue(handler.opened().isDone(), "hello completes the connect");
        assertEquals(List.of("7"), hellos);
        receive(new WsMessage.Ping(1_234_567));
        receive(new WsMessage.Ping(42));
        List<WsMessage> answers = sent();
        assertEquals(2, answers.size(), answers.toString());
        assertEquals(1_234_567, ((WsMessage.Pong) answers.get(0)).timestamp());
        assertEquals(42, ((WsMessage.Pong) answers.get(1)).timestamp());
    }

    /** Pins the link's own pings: one every ping interval from the handshake, none before. */
    @Test
    void itsOwnPingsLeaveEveryPingInterval() {
        pass(PING_INTERVAL.minus(MS));
        assertEquals(List.of(), sent());
        pass(MS);
        assertEquals(1, pings(sent()));
        receive(new WsMessage.Hello("9.9.9", "7")); // a frame, so the link stays alive past 12 s
        pass(PING_INTERVAL.minus(MS));
        assertEquals(0, pings(sent()));
        pass(MS);
        assertEquals(1, pings(sent()));
        assertTrue(channel.isActive());
    }

    /** Pins the dead link: closed after exactly the configured silence, reported once with its reason. */
    @Test
    void aLinkSilentForDeadAfterIsClosed() {
        pass(DEAD_AFTER.minus(MS));
        assertTrue(channel.isActive(), "not before 12 s of silence");
        assertEquals(List.of(), closed);
        pass(MS);
        assertFalse(channel.isActive(), "closed at 12 s of silence");
        assertEquals(List.of(ServerLink.Handler.DEAD_LINK), closed);
        pass(Duration.ofMinutes(1));
        assertEquals(1, closed.size(), "reported once");
        assertEquals(0, pings(sent()) - 2, "pings at 5 s and 10 s, none after the close");
    }

    /** Pins that a frame restarts the silence: the link dies 12 s after the last frame, not after the first. */
    @Test
    void aFrameResetsTheSilence() {
        pass(Duration.ofSeconds(10));
        receive(new WsMessage.Ping(1)); // the server's ping: a frame like any other
        pass(DEAD_AFTER.minus(MS));
        assertTrue(channel.isActive(), "12 s after the frame have not passed yet");
        pass(MS);
        assertFalse(channel.isActive());
        assertEquals(List.of(ServerLink.Handler.DEAD_LINK), closed);
    }

    /** Pins that the silence is measured on the injected ticker: the event loop's timers alone never declare the link dead. */
    @Test
    void theSilenceIsReadFromTheTickerNotTheEventLoop() {
        channel.advanceTimeBy(1, TimeUnit.MINUTES);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isActive(), "a minute on the event loop's clock, none on the ticker");
        ticker.advance(DEAD_AFTER);
        pass(DEAD_AFTER);
        assertFalse(channel.isActive());
    }
}
