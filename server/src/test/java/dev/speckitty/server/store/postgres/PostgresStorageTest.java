package dev.speckitty.server.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.wire.EventResult;
import dev.speckitty.protocol.wire.PullPage;
import dev.speckitty.protocol.wire.ResultStatus;
import dev.speckitty.server.TestStore;
import dev.speckitty.server.store.CommitListener;
import dev.speckitty.server.store.SequencedEvent;
import dev.speckitty.server.store.StorageException;
import dev.speckitty.testing.Await;
import dev.speckitty.testing.TestEvents;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** PostgreSQL-only properties: several instances on one database; each test gets a fresh database. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PostgresStorageTest {
    /** How long both instances' listeners may take to see a commit. */
    private static final Duration AWAIT = Duration.ofSeconds(20);

    String url;

    @BeforeAll
    static void needsPostgres() {
        String env = System.getenv(TestStore.URL_ENV);
        Assumptions.assumeTrue(env != null && !env.isBlank(), TestStore.URL_ENV + " is not set: skipping PostgreSQL storage tests. "
                + "Run .ci/setup-postgres.sh and export the variable from .ci/postgres.env");
    }

    @BeforeEach
    void database() {
        url = TestStore.createDatabase();
    }

    /** Delivers only events that follow on from the last delivered one, like the WebSocket hub. */
    static final class InOrderListener implements CommitListener {
        final List<Long> delivered = new ArrayList<>();

        @Override
        public synchronized void committed(String team, List<SequencedEvent> events) {
            for (SequencedEvent e : events) {
                if (e.sequence() == last() + 1) {
                    delivered.add(e.sequence());
                } else if (e.sequence() > last() + 1) {
                    return;
                }
            }
        }

        synchronized long last() {
            return delivered.isEmpty() ? 0 : delivered.get(delivered.size() - 1);
        }

        @Override
        public synchronized OptionalLong delivered(String team) {
            return OptionalLong.of(last());
        }

        @Override
        public Set<String> teams() {
            return Set.of("team-a");
        }
    }

    @Test
    void twoInstancesWritingOneTeamKeepDenseCursorsAndATailingPullNeverSkipsALateCommit() throws Exception {
        int writers = 4;
        int batches = 15;
        int perBatch = 40;
        List<JsonNode> shared = TestEvents.fresh("team-a", batches * perBatch);
        InOrderListener onA = new InOrderListener();
        InOrderListener onB = new InOrderListener();
        try (PostgresStorage a = PostgresStorage.open(url, Clock.systemUTC(), onA, 4);
                PostgresStorage b = PostgresStorage.open(url, Clock.systemUTC(), onB, 4)) {
            ExecutorService threads = Executors.newFixedThreadPool(writers + 1);
            try {
                AtomicBoolean writing = new AtomicBoolean(true);
                Future<List<String>> tail = threads.submit(() -> {
                    List<String> seen = new ArrayList<>();
                    long cursor = 0;
                    boolean last = false;
                    while (true) {
                        boolean finalRound = !writing.get();
                        PullPage page = a.events().pull("team-a", cursor, 100);
                        long next = Long.parseLong(page.nextCursor());
                        assertEquals(page.events().size(), next - cursor, "cursors are dense");
                        page.events().forEach(e -> seen.add(e.eventId()));
                        cursor = next;
                        if (finalRound && !page.hasMore()) {
                            if (last) {
                                return seen;
                            }
                            last = true;
                        }
                    }
                });
                List<Future<Integer>> stored = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    PostgresStorage s = w % 2 == 0 ? a : b;
                    int offset = w / 2; // the two writers of each instance overlap with the other instance's
                    stored.add(threads.submit(() -> {
                        int ok = 0;
                        for (int i = 0; i < batches; i++) {
                            int batch = (i + offset) % batches;
                            List<JsonNode> events = new ArrayList<>(shared.subList(batch * perBatch, (batch + 1) * perBatch));
                            events.addAll(TestEvents.fresh("team-a", 5)); // own events too
                            for (EventResult r : s.events().ingest("team-a", events)) {
                                ok += r.status() == ResultStatus.SUCCESS ? 1 : 0;
                            }
                        }
                        return ok;
                    }));
                }
                int total = 0;
                for (Future<Integer> f : stored) {
                    total += f.get(50, TimeUnit.SECONDS);
                }
                writing.set(false);
                int expected = batches * perBatch + writers * batches * 5;
                assertEquals(expected, total, "each distinct event stored once");
                List<String> tailed = tail.get(50, TimeUnit.SECONDS);
                List<String> all = new ArrayList<>();
                for (long c = 0;;) {
                    PullPage p = b.events().pull("team-a", c, 1000);
                    p.events().forEach(e -> all.add(e.eventId()));
                    c = Long.parseLong(p.nextCursor());
                    if (!p.hasMore()) {
                        break;
                    }
                }
                assertEquals(expected, all.size());
                assertEquals(all, tailed, "the tailing pull saw every event, in the final order, none skipped");
                assertEquals(expected, a.events().latest("team-a"));
                Await.until(AWAIT, "both instances' listeners to reach " + expected, () -> onA.last() == expected && onB.last() == expected);
                assertEquals(expected, onA.delivered.size());
                assertEquals(expected, onB.delivered.size());
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void aWriterWaitsForTheTeamRowSoPullsSeeSequencesInCommitOrder() throws Exception {
        try (PostgresStorage s = PostgresStorage.open(url)) {
            s.events().ingest("team-a", TestEvents.fresh("team-a", 1));
            ExecutorService thread = Executors.newSingleThreadExecutor();
            try (Connection other = DriverManager.getConnection(url)) {
                other.setAutoCommit(false);
                Event late = Event.parse(TestEvents.fresh("team-a"));
                try (Statement st = other.createStatement()) {
                    // What another instance's ingest does: lock the row, insert seq 2, and stay uncommitted for a while.
                    st.execute("SELECT last FROM team_seq WHERE team = 'team-a' FOR UPDATE");
                    st.execute("INSERT INTO events VALUES ('team-a', 2, '" + late.eventId() + "', 'WPStatusChanged', '"
                            + late.toJson().replace("'", "''") + "', 0)");
                    st.execute("UPDATE team_seq SET last = 2 WHERE team = 'team-a'");
                }
                Future<List<EventResult>> waiting = thread.submit(() -> s.events().ingest("team-a", TestEvents.fresh("team-a", 1)));
                assertEquals(1, s.events().pull("team-a", 0, 10).events().size(), "the uncommitted event is not visible");
                assertFalse(waiting.isDone());
                other.commit();
                assertEquals(ResultStatus.SUCCESS, waiting.get(20, TimeUnit.SECONDS).get(0).status());
            } finally {
                thread.shutdownNow();
            }
            PullPage page = s.events().pull("team-a", 1, 10);
            assertEquals(2, page.events().size());
            assertEquals("3", page.nextCursor(), "the waiting writer got the sequence after the late commit");
        }
    }

    @Test
    void schemaIsVersionedAndANewerDatabaseIsRefused() throws Exception {
        try (PostgresStorage s = PostgresStorage.open(url)) {
            assertEquals(0, s.events().latest("team-a"));
            assertTrue(s.describe().startsWith("postgresql://"), s.describe());
        }
        try (PostgresStorage s = PostgresStorage.open(url)) { // reopening applies nothing twice
            s.users().add("ada", "team-a", "pw");
        }
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            var rs = st.executeQuery("SELECT version FROM schema_version");
            assertTrue(rs.next());
            assertEquals(PostgresStorage.schemaVersion(), rs.getInt(1));
            st.executeUpdate("UPDATE schema_version SET version = 99");
        }
        RuntimeException e = assertThrows(RuntimeException.class, () -> PostgresStorage.open(url).close());
        assertTrue(e.getMessage().contains("schema version 99") && e.getMessage().contains("newer"), e.getMessage());
    }

    @Test
    void anUnreachableDatabaseIsReportedWithoutThePassword() {
        String bad = "jdbc:postgresql://127.0.0.1:1/nope?user=x&password=hunter2&connectTimeout=2";
        StorageException e = assertThrows(StorageException.class, () -> PostgresStorage.open(bad).close());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertTrue(e.getMessage().contains("127.0.0.1:1/nope"), e.getMessage());
    }
}
