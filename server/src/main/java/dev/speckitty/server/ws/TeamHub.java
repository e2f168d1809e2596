package dev.speckitty.server.ws;

import dev.speckitty.protocol.wire.Cursor;
import dev.speckitty.protocol.wire.WsCodec;
import dev.speckitty.protocol.wire.WsMessage;
import dev.speckitty.server.store.CommitListener;
import dev.speckitty.server.store.SequencedEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-team fan-out of committed events to every connected WebSocket session of that team, the sender
 * included. The store calls {@link #committed} in sequence order; each team's room is guarded by its
 * own monitor, which {@link #join} also takes, so a session's hello cursor and the events after it
 * neither overlap nor leave a gap.
 */
public final class TeamHub implements CommitListener {
    private final ConcurrentHashMap<String, Set<WsSession>> rooms = new ConcurrentHashMap<>();

    /** Registers a session and sends its hello with the team's latest cursor, read under the room's monitor. */
    public void join(String team, WsSession session, LongSupplier latest) {
        Set<WsSession> room = rooms.computeIfAbsent(team, t -> new LinkedHashSet<>());
        synchronized (room) {
            session.hello(latest.getAsLong());
            room.add(session);
            if (!session.isOpen()) {
                room.remove(session);
            }
        }
    }

    public void leave(String team, WsSession session) {
        Set<WsSession> room = rooms.get(team);
        if (room != null) {
            synchronized (room) {
                room.remove(session);
            }
        }
    }

    @Override
    public void committed(String team, List<SequencedEvent> events) {
        Set<WsSession> room = rooms.get(team);
        if (room == null) {
            return;
        }
        synchronized (room) {
            if (room.isEmpty()) {
                return;
            }
            List<String> frames = new ArrayList<>(events.size());
            for (SequencedEvent e : events) {
                frames.add(WsCodec.encode(new WsMessage.EventFrame(Cursor.of(e.sequence()), e.event())));
            }
            for (WsSession s : List.copyOf(room)) {
                s.deliver(events, frames);
            }
        }
    }

    /** Number of sessions connected for a team (for tests and metrics). */
    public int sessions(String team) {
        Set<WsSession> room = rooms.get(team);
        if (room == null) {
            return 0;
        }
        synchronized (room) {
            return room.size();
        }
    }

    /** Tells every session the server is going away (close 1001). */
    public void closeAll() {
        for (Set<WsSession> room : rooms.values()) {
            List<WsSession> copy;
            synchronized (room) {
                copy = List.copyOf(room);
            }
            copy.forEach(WsSession::goingAway);
        }
    }
}
