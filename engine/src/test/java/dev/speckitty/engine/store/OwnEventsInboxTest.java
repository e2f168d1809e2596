package dev.speckitty.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.engine.store.QueueStore.EventQuery;
import dev.speckitty.engine.store.QueueStore.StoreOptions;
import dev.speckitty.testing.TestEvents;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.testing.MutableClock;
import dev.speckitty.protocol.wire.EventResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledged events move from the queue into the inbox, at the position the server told, in the
 * transaction that applies the results; the saved cursor advances only through contiguous positions
 * held; and the inbox tells which positions a page passed over are not explained.
 */
@Timeout(30)
class OwnEventsInboxTest {
    private static final Scope SCOPE = Scope.of("http://127.0.0.1:1", "team-a");

    @TempDir
    Path dir;
    QueueStore store;

    @BeforeEach
    void open() {
        store = QueueStore.open(dir.resolve("queue.db"), new StoreOptions(1000, 3, new MutableClock(Instant.parse("2026-11-24T10:00:00Z"))));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void acknowledgedRowsMoveIntoTheInboxAtTheirCursorsAndTheCursorStopsAtAHole() {
        List<Event> events = TestEvents.many(1, 5);
        store.enqueue(events);
        List<QueuedEvent> batch = store.nextBatch(DrainPosition.START, 10);
        String sentFirst = events.get(0).withTeamSlug("team-a").toJson().replace("\"team_slug\":\"team-a\"", "\"team_slug\": \"team-a\"");
        store.applyResults(SCOPE, batch, java.util.Arrays.asList(sentFirst, null, null, null, null), List.of(
                EventResult.success(batch.get(0).eventId(), 1),
                EventResult.duplicate(batch.get(1).eventId(), 2),
                EventResult.success(batch.get(2).eventId(), 4),
                EventResult.success(batch.get(3).eventId()), // an older server: no cursor
                EventResult.rejected(batch.get(4).eventId(), "no")));

        assertEquals(1, store.depth(), "only the rejected row stays queued");
        assertEquals(3, store.size(SCOPE), "the rows with a cursor are held; the one without is just gone");
        assertEquals("2", store.cursor(SCOPE), "position 3 is not held: the cursor stops before it");
        assertEquals("0", store.cursor(Scope.UNSCOPED), "another scope's cursor is not touched");
        List<String> held = store.listEvents(new EventQuery(Optional.empty(), Optional.empty(), 10), Optional.of(SCOPE))
                .stream().map(Event::eventId).toList();
        assertTrue(held.containsAll(List.of(batch.get(0).eventId(), batch.get(1).eventId(), batch.get(2).eventId())), held.toString());
        assertEquals(sentFirst, inboxData(batch.get(0).eventId()), "held as it was sent, which is what the server serves");

        // A teammate's event at 3 arrives (live or pulled): the cursor goes on through 4.
        store.storeRows(SCOPE, List.of(InboxRow.of(TestEvents.note(900, "WP01", "peer00000000")).at(3)), List.of(), "2");
        assertEquals("4", store.cursor(SCOPE));

        assertEquals(OptionalLong.empty(), store.firstUnheld(SCOPE, 0, 4, new long[0]), "1..4 are all held");
        assertEquals(OptionalLong.of(5), store.firstUnheld(SCOPE, 2, 6, new long[] {6}));
        assertEquals(OptionalLong.empty(), store.firstUnheld(SCOPE, 2, 6, new long[] {5, 6}));
        assertEquals(OptionalLong.of(1), store.firstUnheld(Scope.UNSCOPED, 0, 4, new long[0]), "positions are held per scope");
    }

    @Test
    void whenTheInboxWriteFailsTheRowsStayQueuedAndNothingMoves() throws Exception {
        store.enqueue(TestEvents.many(1, 3));
        List<QueuedEvent> batch = store.nextBatch(DrainPosition.START, 10);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("queue.db")); Statement s = c.createStatement()) {
            s.execute("CREATE TRIGGER refuse_inbox BEFORE INSERT ON inbox BEGIN SELECT RAISE(ABORT, 'injected: disk full'); END");
        }
        List<EventResult> results = batch.stream().map(r -> EventResult.success(r.eventId(), batch.indexOf(r) + 1L)).toList();
        assertThrows(RuntimeException.class, () -> store.applyResults(SCOPE, batch, null, results));
        assertEquals(3, store.depth(), "one transaction: no row left the queue");
        assertEquals(0, store.size(SCOPE));
        assertEquals("0", store.cursor(SCOPE));

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("queue.db")); Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER refuse_inbox");
        }
        store.applyResults(SCOPE, batch, null, results);
        assertEquals(0, store.depth());
        assertEquals(3, store.size(SCOPE));
        assertEquals("3", store.cursor(SCOPE));
    }

    private String inboxData(String eventId) throws RuntimeException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("queue.db"));
             var q = c.prepareStatement("SELECT data FROM inbox WHERE event_id = ?")) {
            q.setString(1, eventId);
            try (var r = q.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
