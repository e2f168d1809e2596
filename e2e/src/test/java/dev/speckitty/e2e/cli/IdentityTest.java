package dev.speckitty.e2e.cli;

import static dev.speckitty.testing.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.e2e.support.PythonQueue;
import dev.speckitty.e2e.support.RecordingRelay;
import dev.speckitty.e2e.support.ServerProcess;
import dev.speckitty.e2e.support.SpecKitty;
import dev.speckitty.protocol.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identity and state with the real launcher, real team servers and real daemons: node ids of two
 * homes of one user, tokens that stay with the server that issued them, pull cursor, inbox and queue
 * scoped to (server, team), a repaired credentials file, the truth of {@code auth status}, and the
 * commands for parked events.
 */
@Timeout(300)
class IdentityTest {
    static final String PASSWORD = "correct horse battery";
    static final String WP = "{\"wp_id\":\"WP01\",\"from_lane\":\"planned\",\"to_lane\":\"in_progress\"}";

    @TempDir
    Path dir;

    private final List<SpecKitty> homes = new ArrayList<>();
    private final List<ServerProcess> servers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (SpecKitty sk : homes) {
            sk.run("daemon", "stop");
        }
        for (ServerProcess s : servers) {
            s.close();
        }
    }

    private SpecKitty home(String name) throws Exception {
        SpecKitty sk = new SpecKitty(Files.createDirectories(dir.resolve(name)));
        homes.add(sk);
        return sk;
    }

    /** A server process whose data (and log, beside it) is {@code dir/name}, with users given as user:team. */
    private ServerProcess server(String name, String... users) throws Exception {
        Path data = Files.createDirectories(dir.resolve(name));
        Path dist = new SpecKitty(dir).dist();
        for (String u : users) {
            String[] parts = u.split(":");
            ServerProcess.addUser(dist, data, parts[0], parts[1], PASSWORD);
        }
        ServerProcess s = ServerProcess.start(dist, data);
        servers.add(s);
        return s;
    }

    private static Path logOf(String name, Path dir) {
        return ServerProcess.logOf(dir.resolve(name));
    }

    static SpecKitty.Run ok(SpecKitty sk, String... args) {
        SpecKitty.Run r = sk.run(args);
        assertEquals(0, r.exit(), String.join(" ", args) + "\n" + r);
        return r;
    }

    static void login(SpecKitty sk, ServerProcess server, String user) {
        ok(sk, "config", "set", "sync.server_url", server.url());
        SpecKitty.Run login = sk.runWithInput(PASSWORD + "\n", "auth", "login", "--username", user, "--password-stdin");
        assertEquals(0, login.exit(), login.toString());
    }

    static void emit(SpecKitty sk, String wp) {
        ok(sk, "events", "emit", "WPStatusChanged", "--aggregate-id", wp,
                "--payload", WP.replace("WP01", wp));
    }

    static String nodeIdOf(SpecKitty sk) throws Exception {
        return Json.tree(Files.readString(sk.home().resolve("clock.json"))).get("node_id").asText();
    }

    /** Finding 5: two homes of one OS user on one host have their own node ids and see each other's events. */
    @Test
    void twoHomesOfOneUserOnOneHostSyncWithEachOther() throws Exception {
        ServerProcess server = server("server", "ada:team-a", "bob:team-a");
        SpecKitty first = home("first");
        SpecKitty second = home("second");
        login(first, server, "ada");
        login(second, server, "bob");
        emit(first, "WP01");
        emit(second, "WP02");
        assertNotEquals(nodeIdOf(first), nodeIdOf(second), "each home draws its own node id");
        assertTrue(nodeIdOf(first).matches("[0-9a-f]{12}"), nodeIdOf(first));

        ok(first, "sync", "now");
        SpecKitty.Run dry = ok(second, "sync", "now", "--dry-run");
        assertTrue(dry.out().contains("Would pull 1 new event\n"), dry.out());
        SpecKitty.Run sync = ok(second, "sync", "now");
        assertTrue(sync.out().contains("Pulled 1 new event\n"), sync.out());
        SpecKitty.Run back = ok(first, "sync", "now");
        assertTrue(back.out().contains("Pulled 1 new event\n"), back.out());

        JsonNode listed = Json.tree(ok(first, "events", "list", "--json").out());
        assertEquals(2, listed.size(), listed.toString());
        // An existing clock.json keeps its id (the Python tool reads it from there).
        String id = nodeIdOf(first);
        emit(first, "WP03");
        assertEquals(id, nodeIdOf(first));
    }

    static String tokenLine(String credentials, String key) {
        return credentials.lines().filter(l -> l.startsWith(key + " = ")).findFirst().orElseThrow()
                .substring(key.length() + 4).replace("\"", "");
    }

    static JsonNode statusJson(SpecKitty sk) {
        return Json.tree(ok(sk, "sync", "status", "--json").out());
    }

    /** Finding 2: after `config set sync.server_url` names another server, no request carries the first one's tokens. */
    @Test
    void tokensOfOneServerAreNeverSentToAnother() throws Exception {
        ServerProcess a = server("server-a", "ada:team-a");
        ServerProcess b = server("server-b", "ada:team-a");
        try (RecordingRelay toB = RecordingRelay.to(b.port())) {
            SpecKitty sk = home("home");
            login(sk, a, "ada");
            ok(sk, "daemon", "start");
            emit(sk, "WP01");
            until(Duration.ofSeconds(30), "the event to reach server A", () -> statusJson(sk).at("/queue/depth").asLong() == 0);

            SpecKitty.Run set = ok(sk, "config", "set", "sync.server_url", toB.url());
            assertTrue(set.out().contains("a running daemon picks the change up at once"), set.out());
            assertFalse(set.out().contains("daemon restart"), set.out());
            emit(sk, "WP02");
            until(Duration.ofSeconds(30), "the daemon to say auth required for server B",
                    () -> statusJson(sk).at("/daemon/last_error").asText().startsWith("auth required for " + toB.url()));
            String lastError = statusJson(sk).at("/daemon/last_error").asText();
            assertTrue(lastError.contains("is for " + a.url()) && lastError.contains("spec-kitty auth login"), lastError);

            SpecKitty.Run auth = sk.run("auth", "status");
            assertEquals(4, auth.exit(), auth.toString());
            assertTrue(auth.out().contains("Server        " + a.url() + " (not the configured " + toB.url() + ")"), auth.out());
            assertEquals("server_mismatch", Json.tree(sk.run("auth", "status", "--json").out()).get("state").asText());

            ok(sk, "daemon", "stop");
            SpecKitty.Run check = sk.run("sync", "status", "--check");
            assertEquals(4, check.exit(), check.toString());
            assertTrue(check.out().contains("auth required for " + toB.url()), check.out());
            SpecKitty.Run now = sk.run("sync", "now");
            assertEquals(4, now.exit(), now.toString());
            assertTrue((now.out() + now.err()).contains("auth required for " + toB.url()), now.toString());
            assertEquals(1, count(now.err(), "spec-kitty auth login"), "the next step said once: " + now.err());
            assertEquals(1, count(now.err().toLowerCase(java.util.Locale.ROOT), "queue"), "and that events stay queued once: " + now.err());
            SpecKitty.Run dry = ok(sk, "sync", "now", "--dry-run");
            assertTrue(dry.out().contains("Would pull: unknown"), dry.out());

            String credentials = Files.readString(sk.home().resolve("credentials"));
            assertTrue(credentials.contains(a.url()), credentials);
            String wire = toB.sent();
            assertTrue(wire.contains("POST /api/v1/events/batch/"), "the probe without a token reached B:\n" + wire);
            assertFalse(wire.toLowerCase(java.util.Locale.ROOT).contains("authorization"), "no Authorization header reached B:\n" + wire);
            assertFalse(wire.contains(tokenLine(credentials, "access")), "A's access token reached B");
            assertFalse(wire.contains(tokenLine(credentials, "refresh")), "A's refresh token reached B");
            String logB = Files.readString(logOf("server-b", dir));
            for (String path : List.of("/api/v1/token/refresh/", "/api/v1/ws-token/", "GET /api/v1/events/")) {
                assertFalse(logB.contains(path), path + " in B's log:\n" + logB);
            }
        }
    }

    static java.util.Set<String> aggregatesListed(SpecKitty sk) {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        for (JsonNode e : Json.tree(ok(sk, "events", "list", "--json").out())) {
            ids.add(e.get("aggregate_id").asText());
        }
        return ids;
    }

    /**
     * Findings 1 and 3: a team switch starts the new team's pull at cursor 0 and lists its inbox; events
     * queued for the old team wait (shown, warned about at login) and go when that team is back, or
     * when moved explicitly; nothing is sent under the wrong team, so nothing is rejected.
     */
    @Test
    void aTeamSwitchScopesCursorInboxAndQueue() throws Exception {
        ServerProcess server = server("server", "ada:team-a", "bob:team-b");
        SpecKitty mate = home("mate");
        login(mate, server, "bob");
        emit(mate, "WP09");
        ok(mate, "sync", "now");

        SpecKitty sk = home("home");
        login(sk, server, "ada");
        emit(sk, "WP01");
        emit(sk, "WP02");
        ok(sk, "sync", "now");
        emit(sk, "WP03"); // queued for team-a

        SpecKitty.Run switched = sk.runWithInput(PASSWORD + "\n", "auth", "login", "--username", "bob", "--password-stdin");
        assertEquals(0, switched.exit(), switched.toString());
        assertTrue(switched.err().contains("warning: 1 event waiting for team-a on " + server.url()
                + ": they are not sent as team-b on " + server.url()), switched.err());
        assertTrue(switched.err().contains("`spec-kitty events move --team team-a --server " + server.url() + "`"), switched.err());
        emit(sk, "WP04"); // queued for team-b

        SpecKitty.Run status = ok(sk, "sync", "status");
        assertTrue(status.out().contains("Waiting       1 event waiting for team-a on " + server.url()), status.out());
        JsonNode waiting = statusJson(sk).get("waiting");
        assertEquals(1, waiting.size(), waiting.toString());
        assertEquals("team-a", waiting.get(0).get("team").asText());
        assertEquals(1, waiting.get(0).get("count").asLong());
        assertTrue(ok(sk, "sync", "now", "--dry-run").out().contains("Would push 1 event (1 batch)"), "only team-b's event would leave");

        SpecKitty.Run sync = ok(sk, "sync", "now");
        assertTrue(sync.out().contains("Pushed 1 event (1 batch)\n"), sync.out());
        assertTrue(sync.out().contains("Pulled 1 new event\n"), "team-b's pull starts at cursor 0:\n" + sync.out());
        assertFalse(sync.out().contains("ejected"), sync.out());
        assertEquals(java.util.Set.of("WP03", "WP04", "WP09"), aggregatesListed(sk), "team-b's inbox and the local queue");
        assertEquals(0, statusJson(sk).at("/queue/parked").asLong());
        assertEquals(1, statusJson(sk).at("/queue/depth").asLong(), "team-a's event waits");

        // Refused without a terminal and without --yes: nothing changes.
        SpecKitty.Run refused = sk.run("events", "discard", "--waiting", "--team", "team-a");
        assertEquals(2, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("pass --yes"), refused.toString());

        // Back to team-a: its cursor resumes, its queued event goes under its own team.
        SpecKitty.Run back = sk.runWithInput(PASSWORD + "\n", "auth", "login", "--username", "ada", "--password-stdin");
        assertEquals(0, back.exit(), back.toString());
        assertFalse(back.err().contains("warning"), back.err());
        SpecKitty.Run again = ok(sk, "sync", "now");
        assertTrue(again.out().contains("Pushed 1 event (1 batch)\n") && again.out().contains("Pulled 0 new events\n"), again.out());
        assertEquals(java.util.Set.of("WP01", "WP02", "WP03"), aggregatesListed(sk), "team-a's inbox again");

        // An explicit move sends a waiting event as the current login.
        emit(sk, "WP05");
        sk.runWithInput(PASSWORD + "\n", "auth", "login", "--username", "bob", "--password-stdin");
        SpecKitty.Run moved = ok(sk, "events", "move", "--team", "team-a", "--yes");
        assertTrue(moved.out().startsWith("Moved 1 event to team team-b on " + server.url()), moved.out());
        SpecKitty.Run sent = ok(sk, "sync", "now");
        assertTrue(sent.out().contains("Pushed 1 event (1 batch)\n"), sent.out());
        assertFalse(sent.out().contains("ejected"), sent.out());
        assertEquals(0, statusJson(sk).at("/queue/depth").asLong());
        assertTrue(ok(mate, "sync", "now").out().contains("Pulled 2 new events\n"), "bob's other home sees WP04 and WP05");
    }

    /** Finding 4: the running daemon recovers at once when `auth login` repairs a corrupt credentials file. */
    @Test
    void theDaemonRecoversWhenALoginRepairsACorruptCredentialsFile() throws Exception {
        ServerProcess server = server("server", "ada:team-a");
        SpecKitty sk = home("home");
        login(sk, server, "ada");
        ok(sk, "daemon", "start");
        emit(sk, "WP01");
        until(Duration.ofSeconds(30), "the first event to drain", () -> statusJson(sk).at("/queue/depth").asLong() == 0);

        Files.writeString(sk.home().resolve("credentials"), "[tokens]\naccess = \"abc");
        emit(sk, "WP02");
        until(Duration.ofSeconds(30), "the daemon to report the damaged file",
                () -> statusJson(sk).at("/daemon/last_error").asText().contains("cannot read"));
        SpecKitty.Run auth = sk.run("auth", "status");
        assertNotEquals(0, auth.exit(), auth.toString());
        assertTrue(auth.err().contains("credentials:2:14"), "the damaged file is named: " + auth);

        SpecKitty.Run repaired = sk.runWithInput(PASSWORD + "\n", "auth", "login", "--username", "ada", "--password-stdin");
        assertEquals(0, repaired.exit(), repaired.toString());
        long loggedIn = System.nanoTime();
        until(Duration.ofSeconds(10), "the queued event to drain after the login, with no `sync now`",
                () -> statusJson(sk).at("/queue/depth").asLong() == 0);
        System.out.printf("drained %d ms after the login%n", (System.nanoTime() - loggedIn) / 1_000_000);
        assertTrue(statusJson(sk).at("/daemon/last_error").isNull(), statusJson(sk).toString());
        assertEquals(0, ok(sk, "auth", "status").exit());
    }

    /** Finding 6: `auth status` reports the daemon's refused refresh and `--check` asks the server. */
    @Test
    void authStatusTellsTheTruthAfterTheUserWasRemoved() throws Exception {
        ServerProcess server = server("server", "ada:team-a");
        SpecKitty sk = home("home");
        login(sk, server, "ada");
        SpecKitty.Run valid = ok(sk, "auth", "status", "--check");
        assertTrue(valid.out().contains("Server says   Accepted by " + server.url()), valid.out());

        Process remove = new ProcessBuilder(sk.dist().resolve("bin/spec-kitty-server").toString(), "user", "remove",
                "--data", dir.resolve("server").toString(), "--username", "ada").redirectErrorStream(true).start();
        String removed = new String(remove.getInputStream().readAllBytes());
        assertTrue(remove.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, remove.exitValue(), removed);

        SpecKitty.Run check = sk.run("auth", "status", "--check");
        assertEquals(4, check.exit(), check.toString());
        assertTrue(check.out().contains("Server says   Refused: ") && check.out().contains("Session       Refused"), check.out());
        JsonNode json = Json.tree(sk.run("auth", "status", "--check", "--json").out());
        assertEquals("refused", json.get("state").asText(), json.toString());
        assertTrue(json.get("server_verdict").asText().startsWith("Refused"), json.toString());

        ok(sk, "daemon", "start");
        emit(sk, "WP01");
        until(Duration.ofSeconds(30), "the daemon to be refused", () -> statusJson(sk).at("/daemon/link").asText().equals("auth_required"));
        SpecKitty.Run daemonSays = sk.run("auth", "status");
        assertEquals(4, daemonSays.exit(), daemonSays.toString());
        assertTrue(daemonSays.out().contains("Daemon        Auth required: "), daemonSays.out());
        assertEquals("refused", Json.tree(sk.run("auth", "status", "--json").out()).get("state").asText());
    }

    /** Finding 7: parked events are listed with reasons, retried and discarded, with the daemon down and up. */
    @Test
    void parkedEventsCanBeListedRetriedAndDiscarded() throws Exception {
        ServerProcess server = server("server", "ada:team-a");
        SpecKitty sk = home("home");
        login(sk, server, "ada");
        ok(sk, "config", "set", "sync.park_after_rejections", "1");
        String poison = "01KAT0V6J8Q5R9S1T2V3W4X5Y6";
        PythonQueue.insert(sk.home(), poison, "WPStatusChanged", "{\"event_id\":\"" + poison + "\",\"event_type\":\"WPStatusChanged\","
                + "\"aggregate_id\":\"WP07\",\"aggregate_type\":\"WorkPackage\",\"payload\":{\"wp_id\":\"WP07\",\"from_lane\":\"planned\","
                + "\"to_lane\":\"nowhere\"},\"node_id\":\"b805cd5cee74\",\"lamport_clock\":1,\"causation_id\":null,"
                + "\"timestamp\":\"2026-11-25T10:00:00+00:00\",\"team_slug\":\"team-a\",\"project_uuid\":null,\"project_slug\":null,"
                + "\"git_branch\":null,\"head_commit_sha\":null,\"repo_slug\":null}");
        emit(sk, "WP01");

        Path report = dir.resolve("report.json");
        SpecKitty.Run sync = ok(sk, "sync", "now", "-v", "--report", report.toString());
        assertTrue(sync.out().contains("1 parked event (not sent until retried):\n  " + poison + "  WPStatusChanged  WP07  parked after 1 rejection: "),
                sync.out());
        assertTrue(sync.out().contains("to_lane"), "the reason: " + sync.out());
        assertFalse(sync.out().contains("Rejected events stay in the queue"), "no such text on a parked event: " + sync.out());
        assertTrue(sync.out().contains("`spec-kitty events retry ID…|--all`"), sync.out());
        assertEquals(poison, Json.tree(Files.readString(report)).at("/parked_events/0/event_id").asText());
        assertTrue(ok(sk, "sync", "status").out().contains("`spec-kitty events parked`"));

        JsonNode parked = Json.tree(ok(sk, "events", "parked", "--json").out());
        assertEquals(1, parked.size(), parked.toString());
        assertTrue(parked.at("/0/reason").asText().contains("to_lane"), parked.toString());
        assertTrue(ok(sk, "events", "parked").out().contains(poison));

        SpecKitty.Run retry = ok(sk, "events", "retry", poison);
        assertTrue(retry.out().startsWith("Put 1 event back in the queue"), retry.out());
        assertEquals(0, statusJson(sk).at("/queue/parked").asLong());
        assertEquals(1, statusJson(sk).at("/queue/depth").asLong());
        ok(sk, "sync", "now"); // rejected again: parked again

        ok(sk, "daemon", "start");
        assertEquals(1, Json.tree(ok(sk, "events", "parked", "--json").out()).size(), "listed through the daemon");
        SpecKitty.Run unconfirmed = sk.run("events", "discard", "--all");
        assertEquals(2, unconfirmed.exit(), unconfirmed.toString());
        assertTrue(unconfirmed.err().contains("pass --yes"), unconfirmed.toString());
        SpecKitty.Run bad = sk.run("events", "discard", "not-an-id", "--yes");
        assertEquals(2, bad.exit(), bad.toString());
        SpecKitty.Run discard = ok(sk, "events", "discard", poison, "--yes");
        assertEquals("Discarded 1 parked event\n", discard.out());
        assertEquals("No parked events.\n", ok(sk, "events", "parked").out());
        assertEquals(0, statusJson(sk).at("/queue/parked").asLong());
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
