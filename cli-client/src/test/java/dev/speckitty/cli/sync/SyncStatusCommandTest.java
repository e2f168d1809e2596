package dev.speckitty.cli.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.cli.testing.Cli;
import dev.speckitty.testing.FakeDaemon;
import dev.speckitty.cli.testing.FakeTeamServer;
import dev.speckitty.cli.testing.Homes;
import dev.speckitty.protocol.Version;
import dev.speckitty.protocol.control.ConnectionState;
import dev.speckitty.protocol.control.ControlApi;
import dev.speckitty.protocol.control.InboxIssues;
import dev.speckitty.protocol.control.ParkedEvent;
import dev.speckitty.protocol.control.QueueStats;
import dev.speckitty.protocol.control.StatusResponse;
import dev.speckitty.protocol.json.Json;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SyncStatusCommandTest {
    @TempDir
    Path home;

    @Test
    void printsTheDocumentedBlockWithTheDaemonDownAndAnEmptyHome() {
        Cli cli = new Cli(home);
        Homes.serverUrl(cli.home(), "https://your-server.example.com");
        Cli.Result r = cli.run("sync", "status");
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertTrue(r.out().startsWith("Spec Kitty Sync Status\n"
                + "Server URL    https://your-server.example.com\n"
                + "Config File   " + cli.home().config() + "\n"
                + "Connection    Not checked (use --check to test)\n"
                + "Daemon        Not running"), r.out());
        assertTrue(r.out().contains("Queue         Empty\n"), r.out());
        assertFalse(Files.exists(cli.home().queueDb()), "status must not create queue.db");
    }

    @Test
    void readsQueueDepthAgeAndRetriesFromAPythonStyleQueueWithTheDaemonDown() throws Exception {
        Cli cli = new Cli(home);
        long now = Cli.NOW.getEpochSecond();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + cli.home().queueDb());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE queue (id INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT UNIQUE NOT NULL,"
                    + " event_type TEXT NOT NULL, data TEXT NOT NULL, timestamp INTEGER NOT NULL, retry_count INTEGER DEFAULT 0)");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO queue (event_id, event_type, data, timestamp, retry_count) VALUES (?, 'HistoryAdded', '{}', ?, ?)")) {
                int[] retries = {0, 0, 1, 4};
                for (int i = 0; i < retries.length; i++) {
                    p.setString(1, "e" + i);
                    p.setLong(2, now - 300 + i);
                    p.setInt(3, retries[i]);
                    p.executeUpdate();
                }
            }
        }
        Cli.Result r = cli.run("sync", "status");
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertTrue(r.out().contains("Queue         4 events (oldest 5m old)\n"), r.out());
        assertTrue(r.out().contains("Retries       1 event rejected once, 1 event rejected 3+ times (tried again on the next sync)\n"), r.out());

        JsonNode json = Json.tree(cli.run("sync", "status", "--json").out());
        assertEquals(4, json.at("/queue/depth").asLong());
        assertEquals(300, json.at("/queue/oldest_age_s").asLong());
        assertEquals(1, json.at("/queue/retries/3+").asLong());
        assertEquals(0, json.at("/queue/parked").asLong());
        assertFalse(json.at("/daemon/running").asBoolean());
        assertTrue(json.at("/daemon/pid").isNull());
        assertEquals("not_configured", json.at("/connection").asText());
        assertEquals(cli.home().config().toString(), json.at("/config_file").asText());
    }

    @Test
    void showsTheRunningDaemonAndItsQueue() throws Exception {
        Cli cli = new Cli(home);
        Homes.serverUrl(cli.home(), "https://sync.example.com");
        StatusResponse status = new StatusResponse(Version.current(), 4242, 125, "https://sync.example.com", ConnectionState.OFFLINE,
                "connection refused", "2026-11-25T10:00:05+00:00", "ada", "team-a",
                new QueueStats(3, 61, Map.of("0", 3L), 2), null, "17", 99, "b805cd5cee74", 5);
        try (FakeDaemon d = new FakeDaemon(cli.home().socket()).json("GET", ControlApi.STATUS, 200, status)) {
            Cli.Result r = cli.run("sync", "status");
            assertEquals(ExitCodes.OK, r.exit(), r.toString());
            assertTrue(r.out().contains("Daemon        Running (pid 4242, version " + Version.current() + ", up 2m 5s)\n"), r.out());
            assertTrue(r.out().contains("Link          Offline (retrying): connection refused; next try in 5s\n"), r.out());
            assertTrue(r.out().contains("Queue         3 events (oldest 1m 1s old)\n"), r.out());
            assertTrue(r.out().contains("Parked        2 ("), r.out());
            JsonNode json = Json.tree(cli.run("sync", "status", "--json").out());
            assertTrue(json.at("/daemon/running").asBoolean());
            assertEquals(4242, json.at("/daemon/pid").asLong());
            assertEquals(Version.current(), json.at("/daemon/version").asText());
            assertEquals(3, json.at("/queue/depth").asLong());
            assertEquals("offline", json.at("/daemon/link").asText());
        }
    }

    @Test
    void saysWhatWasParkedAndWhichPulledEventsWereNotTakenAsTheyCame() throws Exception {
        Cli cli = new Cli(home);
        InboxIssues issues = new InboxIssues(2, new InboxIssues.Issue("01KAT0V6J8Q5R9S1T2V3W4X5Y6", "6", 1000000000000000L, "r", "t"),
                7, new InboxIssues.Issue(null, "9", null, "the server's answer for this one event is too large to read", "t"));
        ParkedEvent parked = new ParkedEvent("01KAT0V6J8Q5R9S1T2V3W4X5Y7", "HistoryAdded", "WP01", 0,
                "event is 300 KiB (expected: at most 256 KiB); the server refuses it, so it is parked, not sent", "t");
        StatusResponse status = new StatusResponse(Version.current(), 4242, 125, null, ConnectionState.CONNECTED, null, null, "ada", "team-a",
                new QueueStats(0, 0, Map.of(), 1, parked), null, "12", 99, "b805cd5cee74", 5, "0.1.0", true, 30, issues);
        try (FakeDaemon d = new FakeDaemon(cli.home().socket()).json("GET", ControlApi.STATUS, 200, status)) {
            Cli.Result r = cli.run("sync", "status");
            assertEquals(ExitCodes.OK, r.exit(), r.toString());
            assertTrue(r.out().contains("Parked        1 (the server will not take them as they are; last 01KAT0V6J8Q5R9S1T2V3W4X5Y7:"
                    + " event is 300 KiB (expected: at most 256 KiB); the server refuses it, so it is parked, not sent)\n"), r.out());
            assertTrue(r.out().contains("Pulled        2 kept without moving the clock (lamport_clock at or past the ceiling;"
                    + " last 01KAT0V6J8Q5R9S1T2V3W4X5Y6 with 1000000000000000)\n"
                    + "              7 skipped (last event at cursor 9: the server's answer for this one event is too large to read)\n"), r.out());
            JsonNode json = Json.tree(cli.run("sync", "status", "--json").out());
            assertEquals(7, json.at("/inbox_issues/skipped").asLong());
            assertEquals("9", json.at("/inbox_issues/last_skipped/cursor").asText());
            assertEquals(parked.reason(), json.at("/queue/last_parked/reason").asText());
        }
    }

    @Test
    void checkReportsEachDocumentedConnectionState() throws Exception {
        Cli cli = new Cli(home);
        try (FakeTeamServer server = new FakeTeamServer()) {
            String url = server.url().toString();
            Homes.serverUrl(cli.home(), url);
            int[] status = {401};
            server.on("/api/v1/events/batch/", req -> new FakeTeamServer.Answer(status[0], status[0] == 200 ? "{\"results\":[]}" : "{\"error\":\"no\"}"));

            Cli.Result notLoggedIn = cli.run("sync", "status", "--check");
            assertEquals(ExitCodes.AUTH_REQUIRED, notLoggedIn.exit(), notLoggedIn.toString());
            assertTrue(notLoggedIn.out().contains("Connection    Reachable (auth required)\n              Server online (not logged in)\n"), notLoggedIn.out());
            FakeTeamServer.Request probe = server.requests().get(0);
            assertEquals("POST", probe.method());
            assertEquals("gzip", probe.contentEncoding());
            assertEquals("{\"events\":[]}", probe.body());
            assertEquals(null, probe.authorization());

            Homes.loggedIn(cli.home(), url);
            Cli.Result expired = cli.run("sync", "status", "-c");
            assertTrue(expired.out().contains("Server online (token expired or invalid)"), expired.out());
            assertEquals("Bearer " + Homes.ACCESS, server.requests().get(1).authorization());
            assertFalse(expired.out().contains(Homes.ACCESS) || expired.err().contains(Homes.ACCESS));

            status[0] = 403;
            Cli.Result forbidden = cli.run("sync", "status", "--check");
            assertEquals(ExitCodes.AUTH_REQUIRED, forbidden.exit());
            assertTrue(forbidden.out().contains("Connection    Reachable (auth required)\n              Server online (access forbidden)\n"), forbidden.out());

            status[0] = 200;
            Cli.Result connected = cli.run("sync", "status", "--check");
            assertEquals(ExitCodes.OK, connected.exit(), connected.toString());
            assertTrue(connected.out().contains("Connection    Connected\n"), connected.out());
            assertEquals("connected", Json.tree(cli.run("sync", "status", "--check", "--json").out()).at("/connection").asText());

            status[0] = 500;
            Cli.Result error = cli.run("sync", "status", "--check");
            assertEquals(ExitCodes.FAILURE, error.exit());
            assertTrue(error.out().contains("Connection    Error\n              Server answered HTTP 500"), error.out());
        }
    }

    @Test
    void checkReportsUnreachableWithTheReason() throws Exception {
        Cli cli = new Cli(home);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        Homes.serverUrl(cli.home(), "http://127.0.0.1:" + port);
        Cli.Result r = cli.run("sync", "status", "--check");
        assertEquals(ExitCodes.UNREACHABLE, r.exit(), r.toString());
        assertTrue(r.out().contains("Connection    Unreachable\n              connection refused\n"), r.out());
    }

    @Test
    void malformedConfigOrCredentialsNameTheFileLineAndColumn() throws Exception {
        Cli cli = new Cli(home);
        Files.writeString(cli.home().config(), "[sync\nserver_url = 1\n");
        Cli.Result r = cli.run("sync", "status");
        assertEquals(ExitCodes.FAILURE, r.exit(), r.toString());
        assertTrue(r.err().startsWith("error: " + cli.home().config() + ":1:"), r.err());

        Files.writeString(cli.home().config(), "[sync]\nserver_url = \"https://x.example.com\"\n");
        Files.writeString(cli.home().credentials(), "[tokens]\naccess = \"a\"\n");
        Cli.Result creds = cli.run("sync", "status");
        assertEquals(ExitCodes.FAILURE, creds.exit(), creds.toString());
        assertTrue(creds.err().contains(cli.home().credentials() + ":"), creds.err());
        assertTrue(creds.err().contains("spec-kitty auth login"), creds.err());
    }

    @Test
    void namesTheThreeScopedQueuesHoldingEventsThisHomeDoesNotDrain() throws Exception {
        Cli cli = new Cli(home);
        Path dir = Files.createDirectories(cli.home().scopedQueues());
        Path full = dir.resolve("queue-0123456789abcdef.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + full); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE queue (id INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT UNIQUE NOT NULL,"
                    + " event_type TEXT NOT NULL, data TEXT NOT NULL, timestamp INTEGER NOT NULL, retry_count INTEGER DEFAULT 0,"
                    + " coalesce_key TEXT)");
            s.execute("INSERT INTO queue (event_id, event_type, data, timestamp) VALUES ('a', 'WPCreated', '{}', 1), ('b', 'WPCreated', '{}', 2)");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("queue-aaaaaaaaaaaaaaaa.db"));
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE queue (id INTEGER PRIMARY KEY, event_id TEXT, event_type TEXT, data TEXT, timestamp INTEGER)");
        }
        Files.writeString(dir.resolve("queue-bbbbbbbbbbbbbbbb.db"), "not a database, just text that is long enough to be read as a header");
        Files.writeString(dir.resolve("notes.db"), "ignored: not a scoped queue's name");

        Cli.Result r = cli.run("sync", "status");
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertTrue(r.out().contains("Other queues  " + full + ": 2 events not drained by this tool\n"), r.out());
        assertTrue(r.out().contains(dir.resolve("queue-bbbbbbbbbbbbbbbb.db") + ": cannot read it ("), r.out());
        assertFalse(r.out().contains("queue-aaaaaaaaaaaaaaaa"), "an empty queue is not worth a line");
        assertFalse(r.out().contains("notes.db"), r.out());

        JsonNode json = Json.tree(cli.run("sync", "status", "--json").out());
        assertEquals(2, json.at("/scoped_queues/waiting").size());
        assertEquals(full.toString(), json.at("/scoped_queues/waiting/0/file").asText());
        assertEquals(2, json.at("/scoped_queues/waiting/0/events").asLong());
        assertTrue(json.at("/scoped_queues/waiting/0/error").isNull());
        assertTrue(json.at("/scoped_queues/waiting/1/error").asText().startsWith("cannot read it ("));
        assertEquals(0, json.at("/scoped_queues/not_read").asInt());
        assertFalse(Files.exists(cli.home().queueDb()), "status must not create queue.db");
    }

    @Test
    void aHomeWithoutScopedQueuesPrintsNoLineForThem() {
        Cli cli = new Cli(home);
        Cli.Result r = cli.run("sync", "status");
        assertFalse(r.out().contains("Other queues"), r.out());
        assertEquals(0, Json.tree(cli.run("sync", "status", "--json").out()).at("/scoped_queues/waiting").size());
    }
}
