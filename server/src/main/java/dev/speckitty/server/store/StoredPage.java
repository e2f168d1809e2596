package dev.speckitty.server.store;

import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.wire.Cursor;
import dev.speckitty.protocol.wire.PullPage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A page of a team's events as the store holds them: each event's JSON text, written by the server
 * itself when the event was validated. The pull endpoint sends it spliced, never re-encoded.
 */
public record StoredPage(List<String> eventsJson, String nextCursor, boolean hasMore) {
    public StoredPage {
        eventsJson = List.copyOf(eventsJson);
    }

    /** The team's events after {@code after}, at most {@code limit}, from the {@code events} table both stores share. */
    public static StoredPage read(SqlDatabase db, String team, long after, int limit) {
        List<String> events = new ArrayList<>(Math.min(limit, 1000));
        boolean hasMore = false;
        long last = after;
        try (Connection c = db.connection();
                PreparedStatement q = c.prepareStatement(
                        "SELECT seq, data FROM events WHERE team = ? AND seq > ? ORDER BY seq LIMIT ?")) {
            q.setString(1, team);
            q.setLong(2, after);
            q.setInt(3, limit + 1);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    if (events.size() == limit) {
                        hasMore = true;
                        break;
                    }
                    last = rs.getLong(1);
                    events.add(rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw db.failure("read events of team " + team + " after " + after, e);
        }
        return new StoredPage(events, Cursor.of(last), hasMore);
    }

    /** The {@code GET /api/v1/events/} answer body. */
    public byte[] json() {
        return PullPage.spliced(eventsJson, nextCursor, hasMore);
    }

    /** The page with its events parsed. */
    public PullPage parsed() {
        List<Event> events = new ArrayList<>(eventsJson.size());
        for (String e : eventsJson) {
            events.add(Json.read(e, Event.class));
        }
        return new PullPage(events, nextCursor, hasMore);
    }
}
