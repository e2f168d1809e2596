package dev.speckitty.server.ws;

import dev.speckitty.protocol.wire.Cursor;
import dev.speckitty.protocol.time.Ticker;
import dev.speckitty.protocol.wire.WsCodec;
import dev.speckitty.server.store.CommitListener;
import dev.speckitty.server.store.SequencedEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Per-team fan-out of committed events to every connected WebSocket session of that team, except
 * that a session that named its node is not sent that node's events ({@link MemberSocket#deliver}). Each team's room is guarded by its own monitor, which {@link #join} also takes, so a
 * session's hello cursor and the events after it neither overlap nor leave a gap. A room remembers
 * the cursor it delivered last and only sends the events that follow on from it, in order: an event
 * reported twice (by the local ingest and again by another instance's notification) goes out once,
 * and events that arrive after a gap wait until the store reports the missing ones ({@link #delivered}).
 * Its sessions measure their silences on the hub's {@link #ticker}.
 */
public final class TeamHub implements CommitListener {
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    /**
     * Encodes and writes the frames off the ingest path (the batch is answered without waiting for
     * them). One thread (the server's {@code ws-fanout}), fed under each room's monitor, so frames
     * leave in cursor order; the caller's to shut down.
     */
    private final Executor fanout;
    private final Ticker ticker;

    /** A hub that hands frames to {@code fanout}, which must run them one at a time in order, and times sessions on {@code ticker}. */
    public TeamHub(Executor fanout, Ticker ticker) {
        this.fanout = fanout;
        this.ticker = ticker;
    }

    /** What the team's sessions measure their silence on (how long since a client's last frame). */
    public Ticker ticker() {
        return ticker;
    }

    /** One team's sessions and the cursor last delivered to them; guarded by its own monitor. */
    private static final class Room {
        final Set<MemberSocket> sessions = new LinkedHashSet<>();
        long delivered;
    }

    /** Registers a session and sends its hello with the team's latest cursor, read under the room's monitor. */
    public void join(String team, MemberSocket session, LongSupplier latest) {
        Room room = rooms.computeIfAbsent(team, t -> new Room());
        synchronized (room) {
            long cursor = latest.getAsLong();
            session.hello(cursor);
            if (room.sessions.isEmpty()) {
                // Nobody was listening, so nothing before the hello cursor is owed to anyone.
                room.delivered = cursor;
            }
            room.sessions.add(session);
            if (!session.isOpen()) {
                room.sessions.remove(session);
            }
        }
    }

    public void leave(String team, MemberSocket session) {
        Room room = rooms.get(team);
        if (room != null) {
            synchronized (room) {
                room.sessions.remove(session);
            }
        }
    }

    @Override
    public void committed(String team, List<SequencedEvent> events) {
        Room room = rooms.get(team);
        if (room == null) {
            return;
        }
        synchronized (room) {
            if (room.sessions.isEmpty()) {
                return;
            }
            List<SequencedEvent> next = new ArrayList<>(events.size());
            long expected = room.delivered + 1;
            for (SequencedEvent e : events) {
                if (e.sequence() < expected) {
                    continue; // already delivered
                }
                if (e.sequence() > expected) {
                    break; // a gap: the store reads the missing events and reports them again
                }
                next.add(e);
                expected++;
            }
            if (next.isEmpty()) {
                return;
            }
            room.delivered = expected - 1;
            List<MemberSocket> targets = List.copyOf(room.sessions);
            fanout.execute(() -> {
                // Each frame is encoded once and shared by every session (a retained duplicate each), so
                // members that read slowly hold the same bytes, not a copy each.
                List<ByteBuf> frames = new ArrayList<>(next.size());
                try {
                    for (SequencedEvent e : next) {
                        frames.add(ByteBufUtil.writeUtf8(ByteBufAllocator.DEFAULT, WsCodec.eventFrame(Cursor.of(e.sequence()), e.json())));
                    }
                    for (MemberSocket session : targets) {
                        session.deliver(next, frames);
                    }
                } finally {
                    frames.forEach(ByteBuf::release);
                }
            });
        }
    }

    @Override
    public OptionalLong delivered(String team) {
        Room room = rooms.get(team);
        if (room == null) {
            return OptionalLong.empty();
        }
        synchronized (room) {
            return room.sessions.isEmpty() ? OptionalLong.empty() : OptionalLong.of(room.delivered);
        }
    }

    @Override
    public Set<String> teams() {
        Set<String> teams = new HashSet<>();
        rooms.forEach((team, room) -> {
            synchronized (room) {
                if (!room.sessions.isEmpty()) {
                    teams.add(team);
                }
            }
        });
        return teams;
    }

    /** Every connected session of every team, as a copy (the session audit checks them). */
    public List<MemberSocket> sessions() {
        List<MemberSocket> all = new ArrayList<>();
        rooms.forEach((team, room) -> {
            synchronized (room) {
                all.addAll(room.sessions);
            }
        });
        return all;
    }

    /** Number of sessions connected for a team (for tests and metrics). */
    public int sessions(String team) {
        Room room = rooms.get(team);
        if (room == null) {
            return 0;
        }
        synchronized (room) {
            return room.sessions.size();
        }
    }

    /** Tells every session the server is going away (close 1001); the fan-out executor is the caller's to stop after. */
    public void closeAll() {
        for (Room room : rooms.values()) {
            List<MemberSocket> copy;
            synchronized (room) {
                copy = List.copyOf(room.sessions);
            }
            copy.forEach(MemberSocket::goingAway);
        }
    }
}
