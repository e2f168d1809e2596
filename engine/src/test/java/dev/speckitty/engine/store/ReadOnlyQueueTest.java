package dev.speckitty.engine.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.engine.store.QueueStore.StoreOptions;
import dev.speckitty.protocol.control.InboxIssues;
import dev.speckitty.protocol.control.QueueStats;
import dev.speckitty.protocol.control.WaitingEvents;
import dev.speckitty.protocol.testing.MutableClock;
import dev.speckitty.protocol.testing.PythonFixtures;
import dev.speckitty.protocol.wire.EventResult;
import dev.speckitty.testing.TestEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's look at queue.db with the daemon down: the store's own figures, and nothing written. */
@Timeout(30)
class ReadOnlyQueueTest {
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aMissingFileIsNoQueueAndIsNotCreated() {
        Path queueDb = dir.resolve("home/queue.db");
        assertEquals(Optional.empty(), ReadOnlyQueue.open(queueDb));
        assertFalse(Files.exists(queueDb.getParent()), "nothing created");
    }

    @Test
    void readsWhatTheStoreReportsWhileTheStoreHasTheFileOpen() {
        Path queueDb = dir.resolve("queue.db");
        MutableClock clock = new MutableClock(T0);
        try (QueueStore store = QueueStore.open(queueDb, new StoreOptions(100, 2, clock))) {
            store.enqueue(TestEvents.many(1, 4));
            clock.advance(Duration.ofSeconds(30));
            // Two rejections park events 1 and 2; one more leaves 3 with one retry.
            for (int round = 0; round < 2; round++) {
                List<QueuedEvent> batch = store.nextBatch(DrainPosition.START, 2);
                store.applyResults(batch, batch.stream().map(q -> EventResult.rejected(q.eventId(), "bad")).collect(Collectors.toList()));
            }
            List<QueuedEvent> third = store.nextBatch(DrainPosition.START, 1);
            store.applyResults(third, List.of(EventResult.rejected(third.get(0).eventId(), "again")));
            store.storeRows(List.of(), List.of(new InboxIssue(InboxIssue.Kind.SKIPPED, null, "4", null, "too large to read")), "4");
            store.enqueue(List.of(TestEvents.event(9, "WPStatusChanged", "WP09", "a1a1a1a1a1a1",
                    "{\"wp_id\":\"WP09\",\"from_lane\":\"planned\",\"to_lane\":\"doing\"}").withTeamSlug("team-b")), "https://b.example");

            Instant now = clock.instant().plusSeconds(60);
            QueueStats expected = store.stats(now);
            assertEquals(3, expected.depth(), expected.toString());
            assertEquals(2, expected.parked(), expected.toString());
            try (ReadOnlyQueue queue = ReadOnlyQueue.open(queueDb).orElseThrow()) {
                assertEquals(expected, queue.stats(now));
                assertEquals(store.issues(), queue.inboxIssues());
                assertEquals(1, queue.inboxIssues().skipped());
                Optional<Scope> teamA = Optional.of(new Scope("https://a.example", "team-a"));
                List<WaitingEvents> waiting = queue.waiting(teamA);
                assertEquals(store.waiting(teamA), waiting);
                assertEquals(List.of(new WaitingEvents("team-b", "https://b.example", 1)), waiting);
            }
        }
    }

    /**
     * The Python tool's file, in its own journal mode and without our side tables, is read as the store
     * would read it (a copy of it opened by a store answers the same) and left byte for byte.
     */
    @Test
    void thePythonToolsFileIsReadWithoutAnyChange() throws Exception {
        Path queueDb = Files.createDirectories(dir.resolve("read-only")).resolve("queue.db");
        PythonFixtures.copyInto(queueDb.getParent(), "queue.db");
        Path copy = Files.createDirectories(dir.resolve("store")).resolve("queue.db");
        PythonFixtures.copyInto(copy.getParent(), "queue.db");
        byte[] before = Files.readAllBytes(queueDb);
        assertEquals(1, before[18], "the fixture is in rollback-journal mode (header byte 18)");
        FileTime modified = Files.getLastModifiedTime(queueDb);
        Instant now = Instant.now();
        Optional<Scope> teamA = Optional.of(new Scope("https://a.example", "team-a"));
        try (ReadOnlyQueue queue = ReadOnlyQueue.open(queueDb).orElseThrow();
             QueueStore store = QueueStore.open(copy, StoreOptions.defaults())) {
            QueueStats stats = queue.stats(now);
            assertEquals(3, stats.depth());
            assertEquals(Map.of("0", 2L, "1", 1L), stats.retries());
            assertEquals(store.stats(now), stats);
            assertEquals(InboxIssues.NONE, queue.inboxIssues());
            assertEquals(store.waiting(Optional.empty()), queue.waiting(Optional.empty()));
            assertEquals(store.waiting(teamA), queue.waiting(teamA));
        }
        assertArrayEquals(before, Files.readAllBytes(queueDb), "not a byte written, the journal mode (bytes 18-19) included");
        assertEquals(modified, Files.getLastModifiedTime(queueDb));
        assertFalse(Files.exists(queueDb.resolveSibling("queue.db-wal")), "no WAL made for a file that has none");
        assertFalse(Files.exists(queueDb.resolveSibling("queue.db-journal")));
    }

    /**
     * A daemon killed before it checkpointed leaves its last commits in {@code queue.db-wal}: they are
     * read, and the WAL is not folded into the database on close (a writing connection, the last to
     * close, would).
     */
    @Test
    void aWalLeftByAKilledDaemonIsReadAndNotCheckpointed() throws Exception {
        Path live = dir.resolve("live/queue.db");
        Path left = Files.createDirectories(dir.resolve("left")).resolve("queue.db");
        try (QueueStore store = QueueStore.open(live, new StoreOptions(100, 2, new MutableClock(T0)))) {
            store.enqueue(TestEvents.many(1, 3));
            // The files as a kill -9 leaves them: the commits are in the WAL only.
            Files.copy(live, left);
            Files.copy(live.resolveSibling("queue.db-wal"), left.resolveSibling("queue.db-wal"));
        }
        byte[] database = Files.readAllBytes(left);
        byte[] wal = Files.readAllBytes(left.resolveSibling("queue.db-wal"));
        assertTrue(wal.length > 0, "the commits are in the WAL");
        try (ReadOnlyQueue queue = ReadOnlyQueue.open(left).orElseThrow()) {
            assertEquals(3, queue.stats(T0).depth());
        }
        assertArrayEquals(database, Files.readAllBytes(left), "the database file is not written");
        assertArrayEquals(wal, Files.readAllBytes(left.resolveSibling("queue.db-wal")), "the WAL stays for the daemon");
    }

    @Test
    void aFileThatIsNoDatabaseIsNamedWithTheWayOut() throws Exception {
        Path queueDb = dir.resolve("queue.db");
        byte[] garbage = new byte[16384];
        new java.util.Random(7).nextBytes(garbage);
        Files.write(queueDb, garbage);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            try (ReadOnlyQueue queue = ReadOnlyQueue.open(queueDb).orElseThrow()) {
                queue.stats(Instant.now());
            }
        });
        assertTrue(e.getMessage().startsWith("cannot read the queue in " + queueDb + " ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("if the file is damaged, move it aside and run `spec-kitty daemon start`"), e.getMessage());
        assertArrayEquals(garbage, Files.readAllBytes(queueDb), "left as it was");
    }
}
