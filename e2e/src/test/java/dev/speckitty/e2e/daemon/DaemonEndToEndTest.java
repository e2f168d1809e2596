package dev.speckitty.e2e.daemon;

import static dev.speckitty.testing.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.e2e.support.ServerProcess;
import dev.speckitty.e2e.support.SpecKitty;
import dev.speckitty.e2e.support.TeamHistory;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.testing.TestEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real daemon ({@code spec-kitty daemon start}) against the real team server, both separate
 * processes: a backlog drains by itself when the server returns, crashes of either side lose and
 * duplicate nothing, Python-style writers are drained, poison events are parked.
 */
@Timeout(600)
class DaemonEndToEndTest {
    static final String PASSWORD = "correct horse battery";

    @TempDir
    Path dir;

    private SpecKitty sk;
    private ServerProcess server;
    private Path data;

    @AfterEach
    void stopAll() throws Exception {
        if (sk != null) {
            sk.run("daemon", "stop");
        }
        if (server != null) {
            server.close();
        }
    }

    private void serverAndLogin() throws Exception {
        sk = new SpecKitty(Files.createDirectories(dir.resolve("home")));
        data = Files.createDirectories(dir.resolve("server-data"));
        ServerProcess.addUser(sk.dist(), data, "ada", "team-a", PASSWORD);
        server = ServerProcess.start(sk.dist(), data);
        ok("config", "set", "sync.server_url", server.url());
        SpecKitty.Run login = sk.runWithInput(PASSWORD + "\n", "auth", "login", "--username", "ada", "--password-stdin");
        assertEquals(0, login.exit(), login.toString());
    }

    private SpecKitty.Run ok(String... args) {
        SpecKitty.Run r = sk.run(args);
        assertEquals(0, r.exit(), String.join(" ", args) + "\n" + r);
        return r;
    }

    private JsonNode status() {
        return Json.tree(ok("sync", "status", "--json").out());
    }

    private long depth() {
        return status().at("/queue/depth").asLong();
    }

    /** {@code n} NDJSON drafts, numbered from {@code from}, as one import file. */
    private Path drafts(String name, int from, int n) throws Exception {
        return Files.writeString(dir.resolve(name), TestEvents.ndjson(TestEvents.noteDrafts("n", from, n)));
    }

    private static void assertOnceEach(List<JsonNode> history, int expected) {
        Set<String> ids = new HashSet<>();
        for (JsonNode e : history) {
            assertTrue(ids.add(e.path("event_id").asText()), "stored twice: " + e.path("event_id").asText());
        }
        assertEquals(expected, ids.size(), "distinct events on the server");
    }

    @Test
    void aBacklogRecordedOfflineDrainsByItselfOnceAndInOrder() throws Exception {
        serverAndLogin();
        ok("daemon", "start");
        int port = server.port();
        server.close();
        server = null;

        ok("events", "import", drafts("backlog.ndjson", 0, 10_000).toString());
        assertEquals(10_000, depth());

        server = ServerProcess.start(sk.dist(), data, "127.0.0.1:" + port);
        until(Duration.ofSeconds(120), "the daemon to drain 10,000 events by itself", () -> depth() == 0);

        List<JsonNode> history = TeamHistory.pullAll(server.url(), "ada", PASSWORD);
        assertOnceEach(history, 10_000);
        for (int i = 1; i < history.size(); i++) {
            assertTrue(history.get(i - 1).path("lamport_clock").asLong() < history.get(i).path("lamport_clock").asLong(),
                    "server order follows the queue's order at " + i);
        }
        JsonNode status = status();
        assertEquals(0, status.at("/queue/depth").asLong());
        assertTrue(status.at("/daemon/running").asBoolean());
    }

    @Test
    void killingTheDaemonAndTheServerMidDrainLosesAndDuplicatesNothing() throws Exception {
        serverAndLogin();
        int port = server.port();
        server.close();
        server = null;
        ok("events", "import", drafts("backlog.ndjson", 0, 30_000).toString());
        ok("daemon", "start");

        server = ServerProcess.start(sk.dist(), data, "127.0.0.1:" + port);
        until(Duration.ofSeconds(60), "the drain to start", () -> depth() < 30_000);
        long pid = Json.tree(ok("daemon", "status", "--json").out()).at("/pid").asLong();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        until(Duration.ofSeconds(30), "the daemon to die", () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
        ok("daemon", "start");

        until(Duration.ofSeconds(60), "the drain to go on", () -> depth() < 30_000);
        server.kill();
        server = ServerProcess.start(sk.dist(), data, "127.0.0.1:" + port);
        until(Duration.ofSeconds(180), "the queue to drain after both crashes", () -> depth() == 0);

        assertOnceEach(TeamHistory.pullAll(server.url(), "ada", PASSWORD), 30_000);
    }

    @Test
    void pythonStyleRowsFromASecondWriterAreDrainedWithoutLoss() throws Exception {
        serverAndLogin();
        ok("config", "set", "sync.poll_interval_seconds", "1");
        ok("daemon", "start");
        ok("events", "emit", "WPStatusChanged", "--aggregate-id", "WP01",
                "--payload", "{\"wp_id\":\"WP01\",\"from_lane\":\"planned\",\"to_lane\":\"in_progress\"}");
        // The running daemon may send the event at once: between its acknowledgement (the row leaves the queue) and
        // its pull or live frame (it enters the inbox) the list is briefly empty, until acknowledged rows move into
        // the inbox in the transaction that records their result.
        until(Duration.ofSeconds(30), "the emitted event in the list", () -> Json.tree(ok("events", "list", "--json").out()).size() > 0);
        String template = Json.tree(ok("events", "list", "--json").out()).get(0).toString();

        // This test process is the second writer: rows inserted the way the Python tool inserts them.
        int rows = 2_000;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sk.home().resolve("queue.db"))) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 30000");
            }
            for (int batch = 0; batch < rows / 100; batch++) {
                c.setAutoCommit(false);
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO queue (event_id, event_type, data, timestamp, retry_count) VALUES (?, ?, ?, ?, 0)")) {
                    for (int i = 0; i < 100; i++) {
                        String id = String.format("01KAT1%020d", batch * 100 + i);
                        insert.setString(1, id);
                        insert.setString(2, "WPStatusChanged");
                        insert.setString(3, template.replaceFirst("\"event_id\":\"[0-9A-Z]{26}\"", "\"event_id\":\"" + id + "\"")
                                .replaceFirst("\"lamport_clock\":\\d+", "\"lamport_clock\":" + (1000 + batch * 100 + i)));
                        insert.setLong(4, Instant.now().getEpochSecond());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                c.commit();
            }
        }
        until(Duration.ofSeconds(120), "the daemon to drain the second writer's rows", () -> depth() == 0);
        assertOnceEach(TeamHistory.pullAll(server.url(), "ada", PASSWORD), rows + 1);
    }

    @Test
    void poisonEventsAreParkedWhileTheRestDrain() throws Exception {
        serverAndLogin();
        String foreign = TestEvents.builder().id("01KAT0V6J8Q5R9S1T2V3W4X5Y6").aggregate("WP07")
                .payload(TestEvents.statusPayload("WP07", "nowhere")).timestamp("2026-11-25T10:00:00+00:00").json();
        dev.speckitty.e2e.support.PythonQueue.insert(sk.home(), "01KAT0V6J8Q5R9S1T2V3W4X5Y6", "WPStatusChanged", foreign);
        ok("events", "import", drafts("good.ndjson", 0, 50).toString());
        ok("daemon", "start");
        for (int i = 0; i < 3; i++) {
            ok("sync", "now");
        }
        JsonNode status = status();
        assertEquals(0, status.at("/queue/depth").asLong(), status.toString());
        assertEquals(1, status.at("/queue/parked").asLong(), status.toString());
        assertOnceEach(TeamHistory.pullAll(server.url(), "ada", PASSWORD), 50);
    }

    @Test
    void oneDaemonPerHomeAPrivateSocketAndCurlReadsStatus() throws Exception {
        sk = new SpecKitty(Files.createDirectories(dir.resolve("home")));
        ok("daemon", "start");
        SpecKitty.Run second = sk.run("daemon", "run");
        assertTrue(second.exit() != 0 && second.err().contains("already running (pid "), second.toString());

        Path socket = Path.of(Json.tree(ok("daemon", "status", "--json").out()).at("/socket").asText());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
        if (Files.isExecutable(Path.of("/usr/bin/curl"))) {
            Process curl = new ProcessBuilder("/usr/bin/curl", "-sS", "--unix-socket", socket.toString(), "http://localhost/v1/status").start();
            String body = new String(curl.getInputStream().readAllBytes());
            assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
            JsonNode status = Json.tree(body);
            assertTrue(status.path("pid").asLong() > 0, body);
            assertEquals("not_configured", status.path("connection").asText(), body);
        }
    }

    /**
     * A home removed under a running daemon (`rm -rf ~/.spec-kitty`) stops it, with exit status 1 so a
     * service manager starts a fresh one; nothing is left running beside the next daemon.
     */
    @Test
    void aDaemonWhoseHomeIsDeletedStopsAndANewOneStarts() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        sk = new SpecKitty(home);
        Map<String, String> quickWatch = Map.of("SPEC_KITTY_DAEMON_OPTS", "-Dspec-kitty.daemon.home-check-ms=100");
        assertEquals(0, sk.runWithInput("", quickWatch, "daemon", "start").exit());
        long pid = Json.tree(ok("daemon", "status", "--json").out()).at("/pid").asLong();
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        until(Duration.ofSeconds(30), "the daemon to stop", () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));

        Files.createDirectories(home);
        ok("daemon", "start");
        long next = Json.tree(ok("daemon", "status", "--json").out()).at("/pid").asLong();
        assertTrue(next != pid && ProcessHandle.of(next).map(ProcessHandle::isAlive).orElse(false), "a new daemon runs: " + next);
    }
}
