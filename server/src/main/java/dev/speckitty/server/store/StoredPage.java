package dev.speckitty.server.store;

import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.json.Utf8;
import dev.speckitty.protocol.wire.Api;
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
 * {@code cursors} holds each event's position when the page left out a node's events (null otherwise:
 * the positions are then {@code after + 1, after + 2, …}).
 */
public record StoredPage(List<String> eventsJson, long[] cursors, String nextCursor, boolean hasMore) {
    public StoredPage {
        eventsJson = List.copyOf(eventsJson);
        if (cursors != null && cursors.length != eventsJson.size()) {
            throw new IllegalArgumentException("cursors: " + cursors.length + " (expected: one per event, " + eventsJson.size() + ")");
        }
    }

    /** A page whose positions follow on from the {@code after} asked for. */
    public StoredPage(List<String> eventsJson, String nextCursor, boolean hasMore) {
        this(eventsJson, null, nextCursor, hasMore);
    }

    /**
     * The team's events after {@code after} that are not {@code skipNode}'s, with their positions: of
     * the positions up to {@code latest} (the team's newest, read before this, so every position up to
     * it is committed) and at most {@link Api#MAX_PULL_SCAN} past {@code after}. {@code nextCursor} is
     * the last position examined: the last event's when the page is full, else the end of the range.
     * An event stored before node ids were kept ({@code node_id} NULL) is never left out.
     */
    public static StoredPage readSkipping(SqlDatabase db, String team, long after, int limit, int maxBytes, String skipNode,
                                          long latest) {
        long end = Math.min(latest, after + Api.MAX_PULL_SCAN);
        List<String> events = new ArrayList<>(Math.min(limit, 1000));
        List<Long> cursors = new ArrayList<>(Math.min(limit, 1000));
        boolean full = false;
        long last = after;
        PageBudget budget = new PageBudget(maxBytes);
        if (end > after) {
            try (Connection c = db.connection();
                    PreparedStatement q = c.prepareStatement("SELECT seq, data FROM events WHERE team = ? AND seq > ? AND seq <= ?"
                            + " AND (node_id IS NULL OR node_id <> ?) ORDER BY seq LIMIT ?")) {
                q.setString(1, team);
                q.setLong(2, after);
                q.setLong(3, end);
                q.setString(4, skipNode);
                q.setInt(5, limit + 1);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        String json = rs.getString(2);
                        if (events.size() == limit || !budget.admit(json, events)) {
                            full = true;
                            break;
                        }
                        last = rs.getLong(1);
                        events.add(json);
                        cursors.add(last);
                    }
                }
            } catch (SQLException e) {
                throw db.failure("read events of team " + team + " after " + after, e);
            }
        }
        long next = full ? last : Math.max(after, end);
        long[] positions = cursors.stream().mapToLong(Long::longValue).toArray();
        return new StoredPage(events, positions, Cursor.of(next), full || next < latest);
    }

    /**
     * The team's events after {@code after}, at most {@code limit} and {@code maxBytes} of UTF-8 JSON
     * (at least one event), from the {@code events} table both stores share.
     */
    public static StoredPage read(SqlDatabase db, String team, long after, int limit, int maxBytes) {
        List<String> events = new ArrayList<>(Math.min(limit, 1000));
        boolean hasMore = false;
        long last = after;
        PageBudget budget = new PageBudget(maxBytes);
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
                    String json = rs.getString(2);
                    if (!budget.admit(json, events)) {
                        hasMore = true;
                        break;
                    }
                    last = rs.getLong(1);
                    events.add(json);
                }
            }
        } catch (SQLException e) {
            throw db.failure("read events of team " + team + " after " + after, e);
        }
        return new StoredPage(events, Cursor.of(last), hasMore);
    }

    /**
     * Counts a page's bytes of event JSON. Three bytes per char bound UTF-8 from above, so exact lengths
     * are counted only once a page gets near its bound (pages of normal events never are).
     */
    private static final class PageBudget {
        private final long max;
        private long chars;
        private long bytes = -1; // exact, once counting started

        PageBudget(long max) {
            this.max = max;
        }

        /** Counts {@code json} in when it fits beside {@code taken} (or {@code taken} is empty); false when the page is full. */
        boolean admit(String json, List<String> taken) {
            if (bytes < 0 && 3 * (chars + json.length()) <= max) {
                chars += json.length();
                return true;
            }
            if (bytes < 0) {
                bytes = 0;
                for (String t : taken) {
                    bytes += Utf8.length(t);
                }
            }
            long n = Utf8.length(json);
            if (!taken.isEmpty() && bytes + n > max) {
                return false;
            }
            bytes += n;
            return true;
        }
    }

    /** The {@code GET /api/v1/events/} answer body. */
    public byte[] json() {
        return PullPage.spliced(eventsJson, cursors, nextCursor, hasMore);
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
