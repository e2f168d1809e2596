package dev.speckitty.e2e.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.engine.LocalEngine;
import dev.speckitty.engine.store.QueueStore;
import dev.speckitty.e2e.support.SpecKitty;
import dev.speckitty.protocol.control.EnqueueRequest;
import dev.speckitty.protocol.control.EnqueueResponse;
import dev.speckitty.protocol.control.SyncRequest;
import dev.speckitty.protocol.control.SyncSummary;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.local.ConfigFile;
import dev.speckitty.protocol.local.ConfigKey;
import dev.speckitty.protocol.local.Credentials;
import dev.speckitty.protocol.local.CredentialsStore;
import dev.speckitty.protocol.local.SpecKittyHome;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.TokenRequest;
import dev.speckitty.protocol.wire.TokenResponse;
import dev.speckitty.server.ServerOptions;
import dev.speckitty.server.TeamServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage to the local files: a truncated or garbage {@code clock.json}, a corrupt {@code credentials},
 * a {@code queue.db} locked by another writer, and a full disk. Events already queued survive all of
 * them and the user is told what happened.
 */
@Timeout(300)
class LocalDamageTest {
    static final String PASSWORD = "pw-for-damage-tests";

    @TempDir
    Path dir;

    private static List<JsonNode> notes(int n, String prefix) {
        List<JsonNode> drafts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            drafts.add(Json.tree(Rig.draft(prefix + i)));
        }
        return drafts;
    }

    private static long maxLamport(LocalEngine engine) {
        return engine.listEvents(new QueueStore.EventQuery(Optional.empty(), Optional.empty(), 100_000)).stream()
                .mapToLong(Event::lamportClock).max().orElse(0);
    }

    private SpecKittyHome loggedIn(String name, TeamServer server, String user) throws Exception {
        SpecKittyHome home = SpecKittyHome.at(Files.createDirectories(dir.resolve(name)));
        ConfigFile.set(home.config(), ConfigKey.SERVER_URL, server.url().toString());
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.url().resolve(Api.TOKEN))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.writeBytes(new TokenRequest(user, PASSWORD)))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        TokenResponse t = Json.read(r.body(), TokenResponse.class);
        CredentialsStore.of(home).write(new Credentials(t.access(), t.refresh(), Instant.now().plusSeconds(t.accessLifetime()),
                Instant.now().plusSeconds(t.refreshLifetime()), user, t.teamSlug(), server.url().toString()));
        return home;
    }

    @Test
    void aTruncatedOrGarbageClockRestartsAboveEverythingInTheQueueAndTheInbox() throws Exception {
        try (TeamServer server = TeamServer.start(ServerOptions.loopback(dir.resolve("server")))) {
            server.users().add("ada", "team-a", PASSWORD);
            server.users().add("bob", "team-a", PASSWORD);
            // Bob's clock is far ahead; his events reach Ada's inbox only.
            SpecKittyHome bob = loggedIn("bob", server, "bob");
            Files.writeString(bob.clock(), "{\"value\": 5000, \"node_id\": \"b0b0b0b0b0b0\", \"updated_at\": \"2026-01-01T00:00:00+00:00\"}");
            try (LocalEngine b = LocalEngine.open(bob)) {
                b.enqueue(new EnqueueRequest(notes(3, "bob-"), null));
                assertEquals(3, b.sync(new SyncRequest(false, false), u -> { }).pushed());
            }
            SpecKittyHome ada = loggedIn("ada", server, "ada");
            try (LocalEngine a = LocalEngine.open(ada)) {
                a.enqueue(new EnqueueRequest(notes(10, "ada-"), null));
                SyncSummary s = a.sync(new SyncRequest(false, false), u -> { });
                assertEquals(10, s.pushed());
                assertTrue(a.inboxSize() >= 3, "bob's events are in ada's inbox");
                a.enqueue(new EnqueueRequest(notes(5, "ada-offline-"), null)); // queued, not sent
            }
            long inboxMax = 5003;
            for (String damage : new String[] {"", "{\"value\": 50", "\u0000\u0001garbage\u00ff", "{\"value\": -7, \"node_id\": \"x\"}", "[]"}) {
                Files.writeString(ada.clock(), damage);
                try (LocalEngine a = LocalEngine.open(ada)) {
                    long queueMax = maxLamport(a);
                    EnqueueResponse r = a.enqueue(new EnqueueRequest(notes(1, "after-damage-"), null));
                    long fresh = a.listEvents(new QueueStore.EventQuery(Optional.empty(), Optional.empty(), 100_000)).stream()
                            .filter(e -> e.eventId().equals(r.eventIds().get(0))).findFirst().orElseThrow().lamportClock();
                    assertTrue(fresh > inboxMax && fresh > queueMax,
                            "clock.json '" + damage + "': new lamport " + fresh + " > inbox max " + inboxMax + " and queue max " + queueMax);
                    Summary.print("damage", "clock.json=" + Json.write(damage) + " recovered_to=" + fresh + " queue_max=" + queueMax
                            + " inbox_max=" + inboxMax);
                }
            }
        }
    }

    @Test
    void corruptCredentialsKeepTheEventsAndSayHowToRecover() throws Exception {
        try (Rig rig = Rig.create(dir)) {
            rig.login(rig.server.url());
            rig.ok("events", "import", rig.draftsFile("a.ndjson", Rig.markers("c-", 0, 5)).toString());
            Files.writeString(rig.sk.home().resolve("credentials"), "[tokens\naccess = \"unterminated\n\u0000");
            SpecKitty.Run emit = rig.sk.run("events", "import", rig.draftsFile("b.ndjson", Rig.markers("c-", 5, 5)).toString());
            SpecKitty.Run sync = rig.sk.run("sync", "now");
            assertNotEquals(0, sync.exit(), sync.toString());
            String said = sync.out() + sync.err();
            assertTrue(said.contains("credentials"), "names the file: " + sync);
            assertTrue(said.contains("auth login") || said.contains("fix or remove the file"), "says what to do: " + sync);
            assertEquals(0, emit.exit(), "emitting works offline even with damaged credentials: " + emit);
            long expected = 10;
            assertEquals(expected, rig.depth(), "events kept");
            Summary.print("damage", "credentials=garbage emit_exit=" + emit.exit() + " sync_exit=" + sync.exit() + " kept=" + rig.depth()
                    + " message=" + Json.write(said.strip().replace('\n', ' ')));
            rig.login(rig.server.url());
            rig.ok("sync", "now");
            assertEquals(0, rig.depth());
            assertEquals(expected, rig.tally(new java.util.HashSet<>(Rig.markers("c-", 0, (int) expected))).stored());
        }
    }

    @Test
    void aQueueLockedByAnotherWriterIsWaitedOnNotAnError() throws Exception {
        SpecKitty sk = new SpecKitty(Files.createDirectories(dir.resolve("home")));
        assertEquals(0, sk.run("events", "import", Files.writeString(dir.resolve("a.ndjson"), Rig.draft("l-0") + "\n").toString()).exit());
        Path db = sk.home().resolve("queue.db");
        ScheduledExecutorService release = Executors.newSingleThreadScheduledExecutor();
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = other.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
            long locked = System.nanoTime();
            release.schedule(() -> {
                s.execute("COMMIT");
                return null;
            }, 3, TimeUnit.SECONDS);
            SpecKitty.Run r = sk.run("events", "import", Files.writeString(dir.resolve("b.ndjson"), Rig.draft("l-1") + "\n").toString());
            long waited = (System.nanoTime() - locked) / 1_000_000;
            assertEquals(0, r.exit(), r.toString());
            assertTrue(waited >= 2_900, "the import waited for the lock (" + waited + " ms)");
            Summary.print("damage", "queue.db=locked_3s import_exit=0 waited_ms=" + waited);
        } finally {
            release.shutdown();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM queue")) {
            assertTrue(r.next());
            assertEquals(2, r.getLong(1));
        }
    }

    @Test
    void aFullDiskRefusesNewEventsClearlyAndKeepsTheQueuedOnes() throws Exception {
        SpecKitty sk = new SpecKitty(Files.createDirectories(dir.resolve("home")));
        Path first = Files.writeString(dir.resolve("first.ndjson"), String.join("\n", Rig.markers("f-", 0, 10).stream().map(Rig::draft).toList()) + "\n");
        assertEquals(0, sk.run("events", "import", first.toString()).exit());
        long pages;
        Path db = sk.home().resolve("queue.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            try (ResultSet r = s.executeQuery("PRAGMA page_count")) {
                r.next();
                pages = r.getLong(1);
            }
        }
        Map<String, String> full = Map.of("SPEC_KITTY_DAEMON_OPTS", "-Dspeckitty.queue.maxPageCount=" + (pages + 8));
        try {
            SpecKitty.Run start = sk.runWithInput("", full, "daemon", "start");
            assertEquals(0, start.exit(), start.toString());
            Path big = Files.writeString(dir.resolve("big.ndjson"), String.join("\n", Rig.markers("big-", 0, 2000).stream().map(Rig::draft).toList()) + "\n");
            SpecKitty.Run refused = sk.run("events", "import", big.toString());
            assertNotEquals(0, refused.exit(), refused.toString());
            assertTrue(refused.err().contains("full"), "says the disk is full: " + refused);
            assertTrue(refused.err().contains("queue.db") || refused.err().contains(sk.home().toString()), "names the file: " + refused);
            assertEquals(10, Json.tree(sk.run("sync", "status", "--json").out()).at("/queue/depth").asLong(), "nothing queued was lost");
            Summary.print("damage", "disk=full(max_page_count=" + (pages + 8) + ") import_exit=" + refused.exit() + " kept=10 message="
                    + Json.write(refused.err().strip().replace('\n', ' ')));
            assertEquals(0, sk.run("daemon", "stop").exit());

            // Space returns (a daemon without the cap): the same import is accepted, the old events are still there.
            assertEquals(0, sk.run("daemon", "start").exit());
            SpecKitty.Run again = sk.run("events", "import", big.toString());
            assertEquals(0, again.exit(), again.toString());
            assertEquals(2010, Json.tree(sk.run("sync", "status", "--json").out()).at("/queue/depth").asLong());
        } finally {
            sk.run("daemon", "stop");
        }
    }
}
