package dev.speckitty.e2e.cli;

import static dev.speckitty.testing.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.e2e.fault.Fault;
import dev.speckitty.e2e.fault.FaultProxy;
import dev.speckitty.e2e.support.ServerProcess;
import dev.speckitty.e2e.support.SpecKitty;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.testing.TestEvents;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line against the real team server and daemon: the progress bar on a terminal is
 * cleared before the counts, dry runs with -v and --report, human times, one verdict on a server
 * that does not speak HTTP, and the daemon under a systemd-style notify socket (READY, WATCHDOG,
 * STOPPING) that warns once while logged out.
 */
@Timeout(300)
class LiveCliUxTest {
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path dir;

    private SpecKitty sk;

    @AfterEach
    void stopDaemon() {
        if (sk != null) {
            sk.run("daemon", "stop");
        }
    }

    private ServerProcess serverWithUser() throws Exception {
        Path data = Files.createDirectories(dir.resolve("server-data"));
        ServerProcess.addUser(sk.dist(), data, "ada", "team-a", PASSWORD);
        ServerProcess server = ServerProcess.start(sk.dist(), data);
        assertEquals(0, sk.run("config", "set", "sync.server_url", server.url()).exit());
        return server;
    }

    private static String ndjson(int n) {
        return TestEvents.ndjson(TestEvents.noteDrafts("note ", 0, n));
    }

    @Test
    void syncOnATerminalClearsItsProgressAndTimesAreHuman() throws Exception {
        Assumptions.assumeTrue(SpecKitty.terminalAvailable(), "util-linux script is not installed");
        sk = new SpecKitty(Files.createDirectories(dir.resolve("home")));
        try (ServerProcess server = serverWithUser()) {
            assertEquals(0, sk.runWithInput(PASSWORD + "\n", "auth", "login", "--username", "ada", "--password-stdin").exit());
            Path file = dir.resolve("backlog.ndjson");
            Files.writeString(file, ndjson(3000));
            assertEquals(0, sk.run("events", "import", file.toString()).exit());

            SpecKitty.Run dry = sk.run("sync", "now", "-n", "-v", "--report", dir.resolve("dry.json").toString());
            assertEquals(0, dry.exit(), dry.toString());
            assertTrue(dry.out().contains("(daemon not running; reading the local queue)"), dry.out());
            assertTrue(dry.out().contains("  HistoryAdded  WP01  would push\n"), "-v lists the events:\n" + dry.out());
            assertEquals(3000, Json.tree(Files.readString(dir.resolve("dry.json"))).path("to_push").asLong(), "--report with -n");

            SpecKitty.Run sync = sk.onTerminal(Map.of(), 0, "sync", "now");
            assertEquals(0, sync.exit(), sync.toString());
            assertTrue(sync.out().contains("push    ["), "a terminal gets the progress bar: " + sync.out().replace("\r", "\\r"));
            String pushedLine = sync.out().lines().filter(l -> l.contains("Pushed 3000 events")).findFirst().orElseThrow(() -> new AssertionError(sync.out()));
            String beforeCounts = pushedLine.substring(0, pushedLine.indexOf("Pushed"));
            assertTrue(beforeCounts.isEmpty() || beforeCounts.substring(beforeCounts.lastIndexOf('\r') + 1).isEmpty(),
                    "the progress bar is erased before the counts: " + pushedLine.replace("\r", "\\r"));
            assertFalse(sync.out().matches("(?s).*\\rpull \\d.*"), "the pull phase has a label and unit: " + sync.out().replace("\r", "\\r"));

            assertEquals(0, sk.run("daemon", "start").exit());
            SpecKitty.Run status = sk.run("sync", "status");
            assertTrue(status.out().matches("(?s).*\\nLast sync +(just now|\\d+s ago|in \\d+s)?.*") || !status.out().contains("Last sync"), status.out());
            assertFalse(status.out().matches("(?s).*\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z.*"), "no raw ISO times:\n" + status.out());
            until(Duration.ofSeconds(30), "the daemon's live link", () -> sk.run("daemon", "status").out().contains("Link          Connected (live)"));
            SpecKitty.Run version = sk.run("version");
            assertTrue(version.out().contains("Server        0.1.0 at " + server.url()), version.out());
        }
    }

    @Test
    void syncNowJoinsTheDrainTheDaemonStartedAndReportsItsPushes() throws Exception {
        sk = new SpecKitty(Files.createDirectories(dir.resolve("home")));
        try (ServerProcess server = serverWithUser(); FaultProxy proxy = FaultProxy.to(java.net.URI.create(server.url()))) {
            // Logged in through the proxy: the tokens belong to the URL the daemon talks to.
            assertEquals(0, sk.run("config", "set", "sync.server_url", proxy.url().toString()).exit());
            assertEquals(0, sk.runWithInput(PASSWORD + "\n", "auth", "login", "--username", "ada", "--password-stdin").exit());
            assertEquals(0, sk.run("config", "set", "sync.batch_size", "100").exit());
            assertEquals(0, sk.run("daemon", "start").exit());
            until(Duration.ofSeconds(30), "the daemon's live link", () -> sk.run("daemon", "status").out().contains("Link          Connected (live)"));
            // 300 ms per request: the daemon's own drain of 12 batches takes seconds, so `sync now` meets it running.
            proxy.set(Fault.LATENCY);
            Path file = dir.resolve("backlog.ndjson");
            Files.writeString(file, ndjson(1200));
            assertEquals(0, sk.run("events", "import", file.toString()).exit());
            SpecKitty.Run sync = sk.run("sync", "now");
            assertEquals(0, sync.exit(), sync.toString());
            assertTrue(sync.out().contains("Pushed 1200 events (12 batches)\n"), "the joined drain's pushes are reported:\n" + sync.out());
            // The daemon's own drain pushed them (it logs its syncs; `sync now`'s own sync had nothing left).
            assertTrue(Files.readString(sk.home().resolve("logs/daemon.log")).contains("synced: pushed 1200 (0 duplicates, 0 rejected) in 12 batches"),
                    "the drain was the daemon's, joined by sync now");
            assertEquals(0, Json.tree(sk.run("sync", "status", "--json").out()).at("/queue/depth").asLong());
        }
    }

    @Test
    void failuresSayItOnceAndTheLinkSaysHowTheDaemonSyncs() throws Exception {
        sk = new SpecKitty(Files.createDirectories(dir.resolve("home")));
        Path data = dir.resolve("server-data");
        int port;
        try (ServerProcess server = serverWithUser()) {
            port = server.port();
            SpecKitty.Run wrong = sk.runWithInput("nope\n", "auth", "login", "--username", "ada", "--password-stdin");
            assertEquals(4, wrong.exit(), wrong.toString());
            assertEquals(1, count(wrong.err(), "wrong username or password"), wrong.err());
            assertEquals(0, sk.runWithInput(PASSWORD + "\n", "auth", "login", "--username", "ada", "--password-stdin").exit());
            assertEquals(0, sk.run("events", "emit", "WPStatusChanged", "--aggregate-id", "WP01",
                    "--payload", "{\"wp_id\":\"WP01\",\"from_lane\":\"planned\",\"to_lane\":\"in_progress\"}").exit());
            server.kill();
            SpecKitty.Run down = sk.run("sync", "now");
            assertEquals(3, down.exit(), down.toString());
            assertEquals(1, count(down.err(), "cannot reach"), down.err());
            assertEquals(1, count(down.err().toLowerCase(), "events stay queued"), down.err());
            assertTrue(down.err().contains("upload 1 event ") && !down.err().contains("1 events"), down.err());
        }
        try (ServerProcess again = ServerProcess.start(sk.dist(), data, "127.0.0.1:" + port)) {
            assertEquals(0, sk.run("config", "set", "sync.websocket", "false").exit());
            assertEquals(0, sk.run("daemon", "start").exit());
            until(Duration.ofSeconds(60), "a connected daemon without a live link",
                    () -> sk.run("daemon", "status").out().contains("Link          Connected (no live link; syncing every 30s)\n"));
            assertTrue(sk.run("sync", "status").out().contains("Link          Connected (no live link; syncing every 30s)\n"));
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void aServerThatDoesNotSpeakHttpGetsOneVerdictClippedAndEscaped() throws Exception {
        sk = new SpecKitty(Files.createDirectories(dir.resolve("home")));
        try (ServerProcess server = serverWithUser(); ServerSocket garbage = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertEquals(0, sk.runWithInput(PASSWORD + "\n", "auth", "login", "--username", "ada", "--password-stdin").exit());
            assertEquals(0, sk.run("events", "emit", "WPStatusChanged", "--aggregate-id", "WP01",
                    "--payload", "{\"wp_id\":\"WP01\",\"from_lane\":\"planned\",\"to_lane\":\"in_progress\"}").exit());
            Thread answers = new Thread(() -> {
                while (!garbage.isClosed()) {
                    try (Socket s = garbage.accept(); OutputStream out = s.getOutputStream()) {
                        s.getInputStream().read(new byte[4096]);
                        out.write(("\u001b[31mSSH-2.0-OpenSSH " + "x".repeat(5000) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                    } catch (Exception e) {
                        return;
                    }
                }
            }, "garbage-server");
            answers.setDaemon(true);
            answers.start();
            String garbageUrl = "http://127.0.0.1:" + garbage.getLocalPort();
            assertEquals(0, sk.run("config", "set", "sync.server_url", garbageUrl).exit());
            // Tokens only go to the server that issued them: record the login as that server's, as if
            // it had answered once, so that the sync talks to it.
            Path credentials = sk.home().resolve("credentials");
            Files.writeString(credentials, Files.readString(credentials).replace(server.url(), garbageUrl));

            SpecKitty.Run check = sk.run("sync", "status", "--check");
            SpecKitty.Run sync = sk.run("sync", "now");
            assertEquals(1, check.exit(), check.toString());
            assertEquals(1, sync.exit(), "the same verdict as --check, not 'unreachable': " + sync);
            assertTrue(check.out().contains("Connection    Error\n") && check.out().contains("not HTTP"), check.out());
            assertTrue(sync.err().contains("not HTTP"), sync.err());
            for (SpecKitty.Run r : List.of(check, sync)) {
                assertFalse((r.out() + r.err()).contains("\u001b"), "no raw escape reaches the terminal: " + r);
                assertFalse((r.out() + r.err()).contains("x".repeat(1000)), "clipped: " + r);
            }
        }
    }

    @Test
    void theDaemonNotifiesSystemdAndWarnsOnceWhileLoggedOut() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")) || Files.isExecutable(Path.of("/usr/local/bin/python3")),
                "python3 is needed for the datagram listener");
        sk = new SpecKitty(Files.createDirectories(dir.resolve("home")));
        try (ServerProcess server = serverWithUser()) {
            String name = "spec-kitty-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
            // A Unix datagram socket in the abstract namespace, as systemd's NOTIFY_SOCKET may be ("@name").
            Process listener = new ProcessBuilder("python3", "-u", "-c", String.join("\n",
                    "import socket, sys",
                    "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
                    "s.bind('\\0' + sys.argv[1])",
                    "print('bound', flush=True)",
                    "s.settimeout(120)",
                    "while True:",
                    "    data = s.recv(4096)",
                    "    print(data.decode().replace('\\n', '|'), flush=True)"), name).redirectErrorStream(true).start();
            List<String> received = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = in.readLine()) != null; ) {
                        received.add(l);
                    }
                } catch (Exception e) {
                    // the listener was stopped
                }
            }, "notify-listener");
            reader.setDaemon(true);
            reader.start();
            Process daemon = null;
            try {
                until(Duration.ofSeconds(20), "the notify listener", () -> received.contains("bound"));
                ProcessBuilder pb = new ProcessBuilder(sk.dist().resolve("bin/spec-kitty").toString(), "daemon", "run")
                        .redirectErrorStream(true).redirectOutput(dir.resolve("daemon-run.out").toFile());
                pb.environment().putAll(Map.of("SPEC_KITTY_HOME", sk.home().toString(), "NOTIFY_SOCKET", "@" + name,
                        "WATCHDOG_USEC", "1000000"));
                daemon = pb.start();
                until(Duration.ofSeconds(60), "READY=1", () -> received.stream().anyMatch(l -> l.startsWith("READY=1|")));
                assertTrue(sk.run("daemon", "status").out().startsWith("Daemon running"), "READY=1 once the socket answers");
                until(Duration.ofSeconds(30), "WATCHDOG=1", () -> received.contains("WATCHDOG=1"));
                // Logged out: the auth check repeats every 2 s, the warning is written once.
                until(Duration.ofSeconds(60), "three auth re-checks",
                        () -> Json.tree(sk.run("daemon", "status", "--json").out()).path("uptime_s").asLong() >= 8);
                String log = Files.readString(sk.home().resolve("logs/daemon.log"));
                long warnings = log.lines().filter(l -> l.contains(" WARN ") && l.contains("not logged in")).count();
                assertEquals(1, warnings, "one warning while logged out:\n" + log);
                assertEquals(0, sk.run("daemon", "stop").exit());
                until(Duration.ofSeconds(30), "STOPPING=1", () -> received.contains("STOPPING=1"));
                assertTrue(daemon.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, daemon.exitValue());
            } finally {
                if (daemon != null) {
                    daemon.destroy();
                }
                listener.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
