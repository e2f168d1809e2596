package dev.speckitty.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.engine.store.QueueStore.EventQuery;
import dev.speckitty.engine.store.QueueStore.StoreOptions;
import dev.speckitty.protocol.testing.MutableClock;
import dev.speckitty.testing.TestEvents;
import dev.speckitty.protocol.control.EventOutcome;
import dev.speckitty.protocol.control.InboxIssues;
import dev.speckitty.protocol.control.ParkedAction;
import dev.speckitty.protocol.control.ParkedEvent;
import dev.speckitty.protocol.control.QueueStats;
import dev.speckitty.protocol.control.WaitingEvents;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.event.EventLimits;
import dev.speckitty.protocol.wire.EventResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class QueueStoreTest {
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(T0);
    QueueStore store;

    @BeforeEach
    void open() {
        store = QueueStore.open(dir.resolve("home/queue.db"), new StoreOptions(10, 2, clock));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void enqueuedEventsDrainInOrderWithTheirJsonAndEnqueueTime() {
        List<Event> events = TestEvents.many(1, 3);
        assertEquals(ids(events), store.enqueue(events));
        clock.advance(Duration.ofSeconds(5));
        store.enqueue(List.of(TestEvents.status(0, "WP07")));

        List<QueuedEvent> batch = store.nextBatch(DrainPosition.START, 10);
        assertEquals(List.of(TestEvents.id(1), TestEvents.id(2), TestEvents.id(3), TestEvents.id(0)),
                batch.stream().map(QueuedEvent::eventId).collect(Collectors.toList()));
        assertEquals(events.get(0).toJson(), batch.get(0).data());
        assertEquals("WPStatusChanged", batch.get(0).eventType());
        assertEquals(T0.getEpochSecond(), batch.get(0).timestamp());
        assertEquals(T0.getEpochSecond() + 5, batch.get(3).timestamp());
        assertEquals(0, batch.get(0).retryCount());
        assertEquals(4, store.depth());
        assertEquals(2, store.nextBatch(batch.get(1).position(), 2).size());
        assertEquals(List.of(), store.nextBatch(batch.get(3).position(), 2));
    }

    /**
     * The aggregate id and the {@code local} team come with each row, read by SQLite from JSON as this
     * tool writes it and as Python's {@code json.dumps} does (", " and ": "); a row that is not JSON,
     * or has no string aggregate id, still drains with null and false.
     */
    @Test
    void batchRowsCarryTheirAggregateAndWhetherTheyAwaitATeam() throws Exception {
        String compactLocal = TestEvents.status(1, "WP01").withTeamSlug("local").toJson();
        String python = "{\"event_id\": \"" + TestEvents.id(2) + "\", \"aggregate_id\": \"WP02\", \"team_slug\": \"local\"}";
        String otherTeam = TestEvents.status(3, "WP03").toJson();
        String numeric = "{\"aggregate_id\": 7, \"team_slug\": \"team-a\"}";
        String notJson = "{\"aggregate_id\": \"WP05\", \"team_slug\": \"local\"";
        String nested = "{\"payload\": {\"team_slug\": \"local\", \"aggregate_id\": \"X\"}, \"team_slug\": \"team-a\"}";
        List<String> rows = List.of(compactLocal, python, otherTeam, numeric, notJson, nested);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("home/queue.db"));
             PreparedStatement insert = c.prepareStatement("INSERT INTO queue (event_id, event_type, data, timestamp) VALUES (?, 'T', ?, ?)")) {
            for (int i = 0; i < rows.size(); i++) {
                insert.setString(1, "e" + i);
                insert.setString(2, rows.get(i));
                insert.setLong(3, i);
                insert.executeUpdate();
            }
        }
        List<QueuedEvent> batch = store.nextBatch(DrainPosition.START, 10);
        assertEquals(rows, batch.stream().map(QueuedEvent::data).collect(Collectors.toList()));
        assertEquals(Arrays.asList("WP01", "WP02", "WP03", null, null, null),
                batch.stream().map(QueuedEvent::aggregateId).collect(Collectors.toList()));
        assertEquals(List.of(true, true, false, false, false, false),
                batch.stream().map(QueuedEvent::localTeam).collect(Collectors.toList()));
    }

    @Test
    void anEventIdAlreadyQueuedIsSkipped() {
        List<Event> events = TestEvents.many(1, 3);
        store.enqueue(events);
        assertEquals(List.of(TestEvents.id(4)), store.enqueue(List.of(events.get(0), TestEvents.status(4, "WP01"), events.get(2))));
        assertEquals(List.of(TestEvents.id(5)), store.enqueue(List.of(TestEvents.status(5, "WP01"), TestEvents.status(5, "WP01"))));
        assertEquals(5, store.depth());
    }

    @Test
    void aGroupCommitsEachRequestOnItsOwnAndRefusesOnlyTheOneThatOverflows() {
        store.enqueue(TestEvents.many(1, 5));
        // Cap 10: 3 fit (8), 3 do not (11: refused alone), 2 fit (10), a re-sent one adds nothing.
        QueueStore.GroupResult result = store.enqueueGroup(List.of(TestEvents.many(100, 3), TestEvents.many(200, 3),
                TestEvents.many(300, 2), List.of(TestEvents.status(1, "WP01"))), "");
        assertEquals(4, result.outcomes().size());
        assertEquals(ids(TestEvents.many(100, 3)), result.outcomes().get(0).queued());
        assertNull(result.outcomes().get(0).refused());
        QueueFullException full = (QueueFullException) result.outcomes().get(1).refused();
        assertEquals(8, full.depth());
        assertEquals(List.of(), result.outcomes().get(1).queued());
        assertEquals(ids(TestEvents.many(300, 2)), result.outcomes().get(2).queued());
        assertEquals(List.of(), result.outcomes().get(3).queued());
        assertNull(result.outcomes().get(3).refused());
        assertEquals(10, result.depth());
        assertEquals(10, store.depth());
        List<String> queued = store.nextBatch(DrainPosition.START, 100).stream().map(QueuedEvent::eventId).collect(Collectors.toList());
        assertTrue(queued.containsAll(ids(TestEvents.many(300, 2))) && queued.stream().noneMatch(ids(TestEvents.many(200, 3))::contains), queued.toString());
    }

    @Test
    void theCapCountsRowsOtherWritersAddedAndRowsTheDrainRemovedBetweenEnqueues() {
        // The depth an enqueue checks against the cap is carried from one write to the next; each of
        // these must make the next enqueue count again.
        store.enqueueGroup(List.of(TestEvents.many(1, 4)), "");
        try (QueueStore other = QueueStore.open(dir.resolve("home/queue.db"), new StoreOptions(10, 2, clock))) {
            other.enqueue(TestEvents.many(50, 4)); // another process: 8 queued
        }
        QueueStore.GroupResult over = store.enqueueGroup(List.of(TestEvents.many(100, 3)), "");
        assertEquals(8, ((QueueFullException) over.outcomes().get(0).refused()).depth());
        assertEquals(10, store.enqueueGroup(List.of(TestEvents.many(100, 2)), "").depth());
        List<QueuedEvent> batch = store.nextBatch(DrainPosition.START, 3);
        store.applyResults(batch, batch.stream().map(r -> EventResult.success(r.eventId(), 0)).toList()); // 7 left
        assertEquals(10, store.enqueueGroup(List.of(TestEvents.many(200, 3)), "").depth());
        assertThrows(QueueFullException.class, () -> store.enqueue(TestEvents.many(300, 1)));
        assertEquals(10, store.depth());
    }

    @Test
    void theEventsWaitingForAnotherLoginAreCountedAgainAfterEveryCommitToTheFile() {
        Optional<Scope> teamA = Optional.of(new Scope("https://a.example", "team-a"));
        store.enqueue(List.of(TestEvents.status(1, "WP01").withTeamSlug("team-b")), "https://b.example");
        List<WaitingEvents> one = List.of(new WaitingEvents("team-b", "https://b.example", 1));
        assertEquals(one, store.waiting(teamA));
        assertEquals(one, store.waiting(teamA), "asked again, nothing committed meanwhile");
        try (QueueStore other = QueueStore.open(dir.resolve("home/queue.db"), new StoreOptions(10, 2, clock))) {
            other.enqueue(List.of(TestEvents.status(2, "WP01").withTeamSlug("team-b")), "https://b.example"); // another process
        }
        assertEquals(List.of(new WaitingEvents("team-b", "https://b.example", 2)), store.waiting(teamA));
        assertEquals(List.of(), store.waiting(Optional.of(new Scope("https://b.example", "team-b"))), "another login, another answer");
        assertEquals(2, store.moveWaiting(new Scope("https://b.example", "team-b"), teamA.get())); // rows rewritten in place
        assertEquals(List.of(), store.waiting(teamA));
    }

    @Test
    void aFullQueueRefusesTheWholeRequestAndLosesNothing() {
        store.enqueue(TestEvents.many(1, 8));
        QueueFullException e = assertThrows(QueueFullException.class, () -> store.enqueue(TestEvents.many(100, 3)));
        assertEquals(8, e.depth());
        assertEquals(10, e.cap());
        assertTrue(e.getMessage().contains("nothing was queued"), e.getMessage());
        assertEquals(8, store.depth());
        assertEquals(ids(TestEvents.many(1, 8)), store.nextBatch(DrainPosition.START, 100).stream().map(QueuedEvent::eventId).collect(Collectors.toList()));
        // Re-sent events do not count against the cap: they are already there.
        assertEquals(List.of(TestEvents.id(100), TestEvents.id(101)),
                store.enqueue(List.of(TestEvents.status(1, "WP01"), TestEvents.status(100, "WP01"), TestEvents.status(101, "WP01"))));
        assertEquals(10, store.depth());
    }

    @Test
    void aRejectedEventKeepsItsReasonAndNeverBlocksTheEventsBehindIt() {
        store.enqueue(TestEvents.many(1, 3));
        List<QueuedEvent> batch = store.nextBatch(DrainPosition.START, 10);
        BatchOutcome outcome = store.applyResults(batch, List.of(
                EventResult.rejected(TestEvents.id(1), "payload.to_lane: not allowed"),
                EventResult.success(TestEvents.id(2)),
                EventResult.duplicate(TestEvents.id(3))));

        assertEquals(new BatchOutcome(1, 1, 1, 0, List.of(
                new EventOutcome(TestEvents.id(1), "WPStatusChanged", "WP01", EventOutcome.Status.REJECTED, "payload.to_lane: not allowed"),
                new EventOutcome(TestEvents.id(2), "WPStatusChanged", "WP02", EventOutcome.Status.SUCCESS, null),
                new EventOutcome(TestEvents.id(3), "WPStatusChanged", "WP03", EventOutcome.Status.DUPLICATE, null))), outcome);
        assertEquals(1, store.depth());
        // Walking on from the end of the batch does not see the rejected row again in this sync...
        assertEquals(List.of(), store.nextBatch(batch.get(2).position(), 10));
        // ...but the next sync does, with its retry counted; later events still go out.
        store.enqueue(List.of(TestEvents.status(4, "WP04")));
        List<QueuedEvent> next = store.nextBatch(DrainPosition.START, 10);
        assertEquals(List.of(TestEvents.id(1), TestEvents.id(4)), next.stream().map(QueuedEvent::eventId).collect(Collectors.toList()));
        assertEquals(1, next.get(0).retryCount());
        assertEquals(Map.of("0", 1L, "1", 1L), store.stats(T0).retries());
    }

    @Test
    void anEventWithoutAResultStaysUnchanged() {
        store.enqueue(TestEvents.many(1, 2));
        List<QueuedEvent> batch = store.nextBatch(DrainPosition.START, 10);
        BatchOutcome outcome = store.applyResults(batch, List.of(EventResult.success(TestEvents.id(2)),
                EventResult.success("01KAT_NOT_IN_THIS_BATCH_00")));
        assertEquals(1, outcome.pushed());
        assertEquals(List.of(batch.get(0)), store.nextBatch(DrainPosition.START, 10));
    }

    @Test
    void repeatedRejectionParksTheEventUntilRetriedOrDiscarded() {
        store.enqueue(TestEvents.many(1, 2));
        rejectAll("bad wp");
        clock.advance(Duration.ofSeconds(60));
        BatchOutcome second = rejectAll("still bad");
        assertEquals(2, second.parked());
        assertEquals(0, second.rejected());
        assertEquals(EventOutcome.Status.PARKED, second.outcomes().get(0).status());
        assertEquals("still bad", second.outcomes().get(0).reason());

        assertEquals(0, store.depth());
        assertEquals(Map.of(), store.countByType());
        assertEquals(List.of(), store.nextBatch(DrainPosition.START, 10));
        assertEquals(new QueueStats(0, 0, Map.of(), 2, new ParkedEvent(TestEvents.id(2), "WPStatusChanged", "WP02", 2, "still bad",
                "2026-11-24T10:01:00Z")), store.stats(clock.instant()), "with the one parked last");
        List<ParkedEvent> parked = store.parked();
        assertEquals(new ParkedEvent(TestEvents.id(1), "WPStatusChanged", "WP01", 2, "still bad", "2026-11-24T10:01:00Z"), parked.get(0));
        assertEquals(2, parked.size());
        // A parked event is known: emitting it again does not queue a second copy.
        assertEquals(List.of(), store.enqueue(List.of(TestEvents.status(1, "WP01"))));

        assertEquals(1, store.retryParked(new ParkedAction(List.of(TestEvents.id(2)), false)));
        List<QueuedEvent> back = store.nextBatch(DrainPosition.START, 10);
        assertEquals(1, back.size());
        assertEquals(0, back.get(0).retryCount());
        assertEquals(T0.getEpochSecond(), back.get(0).timestamp());
        assertEquals(1, store.parked().size());

        assertEquals(0, store.discardParked(new ParkedAction(List.of("01KAT_UNKNOWN_000000000000"), false)));
        assertEquals(1, store.discardParked(new ParkedAction(List.of(), true)));
        assertEquals(List.of(), store.parked());
        assertThrows(IllegalArgumentException.class, () -> store.retryParked(new ParkedAction(List.of(), false)));

        rejectAll("x");
        rejectAll("x");
        assertEquals(1, store.retryParked(new ParkedAction(null, true)));
        assertEquals(1, store.depth());
    }

    @Test
    void statsCountByTypeAndAge() {
        store.enqueue(List.of(TestEvents.status(1, "WP01"), TestEvents.note(2, "WP01", "aaaaaaaaaaaa")));
        clock.advance(Duration.ofSeconds(30));
        store.enqueue(List.of(TestEvents.note(3, "WP02", "aaaaaaaaaaaa")));
        assertEquals(Map.of("HistoryAdded", 2L, "WPStatusChanged", 1L), store.countByType());
        assertEquals(List.of("HistoryAdded", "WPStatusChanged"), List.copyOf(store.countByType().keySet()));
        assertEquals(new QueueStats(3, 90, Map.of("0", 3L), 0), store.stats(T0.plusSeconds(90)));
        assertEquals(new QueueStats(0, 0, Map.of(), 0),
                QueueStore.open(dir.resolve("other.db"), StoreOptions.defaults()).stats(T0));
    }

    @Test
    void theInboxStoresEachEventOnceAndSavesTheCursorWithThem() {
        assertEquals("0", store.cursor());
        assertEquals(0, store.size());
        assertEquals(2, store.store(List.of(TestEvents.note(7, "WP01", "cccccccccccc"), TestEvents.note(8, "WP01", "cccccccccccc")), "17"));
        assertEquals("17", store.cursor());
        assertEquals(1, store.store(List.of(TestEvents.note(8, "WP01", "cccccccccccc"), TestEvents.note(9, "WP02", "cccccccccccc")), "19"));
        assertEquals(0, store.store(List.of(), "20"));
        assertEquals("20", store.cursor());
        assertEquals(3, store.size());
    }

    @Test
    void maxLamportCoversQueueParkedAndInbox() {
        assertEquals(0, store.maxLamport());
        store.enqueue(List.of(TestEvents.status(5, "WP01")));
        assertEquals(5, store.maxLamport());
        store.store(List.of(TestEvents.note(40, "WP01", "cccccccccccc")), "1");
        assertEquals(40, store.maxLamport());
        store.enqueue(List.of(TestEvents.status(77, "WP01")));
        rejectAll("no");
        rejectAll("no");
        assertEquals(77, store.maxLamport()); // both queued events are parked now
        assertEquals(2, store.parked().size());
        assertEquals(0, store.depth());
        // A peer's clock at the ceiling is kept in the inbox, but is no value our clock may hold.
        store.storeRows(List.of(InboxRow.of(TestEvents.note(9, "WP01", "b0b0b0b0b0b0").withLamportClock(EventLimits.MAX_LAMPORT_CLOCK))), "2");
        assertEquals(77, store.maxLamport());
    }

    @Test
    void issuesAreRecordedWithTheCursorMoveAndCountedByKind() {
        assertEquals(InboxIssues.NONE, store.issues());
        InboxRow atCeiling = InboxRow.of(TestEvents.note(9, "WP01", "b0b0b0b0b0b0").withLamportClock(EventLimits.MAX_LAMPORT_CLOCK));
        List<InboxIssue> issues = List.of(
                new InboxIssue(InboxIssue.Kind.CLOCK_NOT_ADOPTED, atCeiling.eventId(), "3", atCeiling.lamportClock(), "at the ceiling"),
                new InboxIssue(InboxIssue.Kind.SKIPPED, null, "4", null, "too large to read"),
                new InboxIssue(InboxIssue.Kind.SKIPPED, TestEvents.id(5), "5", 5L, "event is 300 KiB"));
        assertEquals(1, store.storeRows(List.of(atCeiling), issues, "5"));
        assertEquals("5", store.cursor());
        store.storeRows(List.of(), List.of(issues.get(1)), "5"); // the same position again: recorded once
        InboxIssues seen = store.issues();
        assertEquals(1, seen.clockNotAdopted());
        assertEquals(new InboxIssues.Issue(atCeiling.eventId(), "3", EventLimits.MAX_LAMPORT_CLOCK, "at the ceiling", T0.toString()),
                seen.lastClockNotAdopted());
        assertEquals(2, seen.skipped());
        assertEquals(new InboxIssues.Issue(TestEvents.id(5), "5", 5L, "event is 300 KiB", T0.toString()), seen.lastSkipped());
    }

    @Test
    void eventsStampedPastTheCeilingGetFreshValuesAndParkedOnesGoBack() {
        long past = (1L << 53) + 1;
        store.enqueue(List.of(TestEvents.status(3, "WP01"), TestEvents.status(4, "WP02")));
        rejectAll("lamport_clock: too big");
        rejectAll("lamport_clock: too big"); // both parked
        clock.advance(Duration.ofSeconds(1));
        store.enqueue(List.of(TestEvents.status(5, "WP03"), TestEvents.status(6, "WP04")));
        overwriteLamport("parked", TestEvents.id(4), past);
        overwriteLamport("queue", TestEvents.id(6), past + 1);
        List<Integer> asked = new java.util.ArrayList<>();
        QueueStore.Restamped moved = store.restampOutOfRange(n -> {
            asked.add(n);
            return 100;
        });
        assertEquals(new QueueStore.Restamped(1, 1), moved);
        assertEquals(List.of(2), asked, "two values reserved in one call");
        Map<String, Long> clocks = store.listEvents(new EventQuery(Optional.empty(), Optional.empty(), 10)).stream()
                .collect(Collectors.toMap(Event::eventId, Event::lamportClock));
        assertEquals(100L, clocks.get(TestEvents.id(6)), "queued first, in drain order");
        assertEquals(101L, clocks.get(TestEvents.id(4)));
        assertEquals(3L, clocks.get(TestEvents.id(3)), "an in-range parked event stays as it was");
        assertEquals(1, store.parked().size());
        assertEquals(3, store.depth(), "the re-stamped parked event is back in the queue");
        assertEquals(new QueueStore.Restamped(0, 0), store.restampOutOfRange(n -> { throw new AssertionError("nothing to reserve"); }));
    }

    @Test
    void parkingNowKeepsTheReasonAndShowsTheLastParked() {
        store.enqueue(TestEvents.many(1, 3));
        List<QueuedEvent> rows = store.nextBatch(DrainPosition.START, 2);
        BatchOutcome outcome = store.park(rows, List.of("event is 300 KiB (expected: at most 256 KiB)", "refused as too large"));
        assertEquals(2, outcome.parked());
        assertEquals(EventOutcome.Status.PARKED, outcome.outcomes().get(1).status());
        assertEquals(1, store.depth());
        QueueStats stats = store.stats(T0);
        assertEquals(2, stats.parked());
        assertEquals(rows.get(1).eventId(), stats.lastParked().eventId());
        assertEquals("refused as too large", stats.lastParked().reason());
        assertEquals(0, store.park(rows, List.of("a", "b")).parked(), "already parked: nothing to do");
        assertThrows(IllegalArgumentException.class, () -> store.park(rows, List.of("one reason for two")));
    }

    private void overwriteLamport(String table, String eventId, long value) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("home/queue.db"));
             PreparedStatement u = c.prepareStatement("UPDATE " + table + " SET data = json_set(data, '$.lamport_clock', ?) WHERE event_id = ?")) {
            u.setLong(1, value);
            u.setString(2, eventId);
            assertEquals(1, u.executeUpdate());
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void listEventsMergesQueueParkedAndInboxInTotalOrder() {
        store.enqueue(List.of(TestEvents.note(3, "WP01", "bbbbbbbbbbbb"), TestEvents.status(9, "WP02")));
        store.store(List.of(TestEvents.note(3, "WP01", "aaaaaaaaaaaa").withLamportClock(3),
                TestEvents.status(9, "WP02"), // pushed by us and pulled back: listed once
                TestEvents.note(1, "WP02", "cccccccccccc")), "5");
        // note(3, aaaa) has the same id as note(3, bbbb); give the pulled one its own id.
        List<Event> all = store.listEvents(new EventQuery(Optional.empty(), Optional.empty(), 100));
        assertEquals(List.of(TestEvents.id(1), TestEvents.id(3), TestEvents.id(9)),
                all.stream().map(Event::eventId).collect(Collectors.toList()));
        assertEquals(List.of(TestEvents.id(9)), ids(store.listEvents(new EventQuery(Optional.of("WP02"), Optional.of("WPStatusChanged"), 100))));
        assertEquals(List.of(TestEvents.id(1), TestEvents.id(3)), ids(store.listEvents(new EventQuery(Optional.empty(), Optional.of("HistoryAdded"), 100))));
        assertEquals(List.of(TestEvents.id(1)), ids(store.listEvents(new EventQuery(Optional.empty(), Optional.empty(), 1))));
        assertEquals(TestEvents.note(1, "WP02", "cccccccccccc"), all.get(0));
        assertThrows(IllegalArgumentException.class, () -> new EventQuery(Optional.empty(), Optional.empty(), 0));
    }

    @Test
    void listEventsOrdersByNodeWhenClocksTie() {
        store.enqueue(List.of(TestEvents.note(11, "WP01", "bbbbbbbbbbbb").withLamportClock(4),
                TestEvents.note(12, "WP01", "aaaaaaaaaaaa").withLamportClock(4),
                TestEvents.note(13, "WP01", "aaaaaaaaaaaa").withLamportClock(2)));
        assertEquals(List.of(TestEvents.id(13), TestEvents.id(12), TestEvents.id(11)),
                ids(store.listEvents(new EventQuery(Optional.empty(), Optional.empty(), 10))));
    }

    private BatchOutcome rejectAll(String reason) {
        List<QueuedEvent> batch = store.nextBatch(DrainPosition.START, 100);
        return store.applyResults(batch, batch.stream().map(q -> EventResult.rejected(q.eventId(), reason)).collect(Collectors.toList()));
    }

    static List<String> ids(List<Event> events) {
        return events.stream().map(Event::eventId).collect(Collectors.toList());
    }
}
