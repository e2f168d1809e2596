package dev.speckitty.cli.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.cli.testing.Cli;
import dev.speckitty.testing.Await;
import dev.speckitty.testing.FakeDaemon;
import dev.speckitty.protocol.Version;
import dev.speckitty.protocol.control.ConnectionState;
import dev.speckitty.protocol.control.ControlApi;
import dev.speckitty.protocol.control.DaemonInfo;
import dev.speckitty.protocol.control.QueueStats;
import dev.speckitty.protocol.control.StatusResponse;
import dev.speckitty.protocol.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class DaemonCommandsTest {
    @TempDir
    Path home;

    private static StatusResponse status(long pid) {
        return new StatusResponse(Version.current(), pid, 10, null, ConnectionState.NOT_CONFIGURED, null, null, null, null,
                new QueueStats(0, 0, Map.of(), 0), null, "0", 0, "b805cd5cee74", 0);
    }

    @Test
    void statusWhenRunningAndWhenNot() throws Exception {
        Cli cli = new Cli(home);
        Cli.Result down = cli.run("daemon", "status");
        assertEquals(ExitCodes.OK, down.exit());
        assertTrue(down.out().startsWith("Daemon not running (start it with `spec-kitty daemon start`)"), down.out());
        assertFalse(Json.tree(cli.run("daemon", "status", "--json").out()).at("/running").asBoolean());
        try (FakeDaemon d = new FakeDaemon(cli.home().socket()).json("GET", ControlApi.DAEMON, 200, DaemonInfo.of(status(777)))) {
            // daemon status and version need no count of the queue
            d.json("GET", ControlApi.STATUS, 500, Map.of("error", "daemon status and version must not ask for the status"));
            Cli.Result up = cli.run("daemon", "status");
            assertTrue(up.out().contains("Daemon running\nPID           777\nVersion       " + Version.current()), up.out());
            assertTrue(up.out().contains("Link          Not configured"), up.out());
            JsonNode json = Json.tree(cli.run("daemon", "status", "--json").out());
            assertTrue(json.at("/running").asBoolean());
            assertEquals(777, json.at("/pid").asLong());
            assertEquals("not_configured", json.at("/connection").asText());
            Cli.Result version = cli.run("version", "--json");
            assertEquals(ExitCodes.OK, version.exit(), version.toString());
            assertEquals(Version.current(), Json.tree(version.out()).at("/daemon").asText(), version.out());
        }
    }

    @Test
    void startWhenAlreadyRunningSaysSoAndStopShutsDownAndWaits() throws Exception {
        Cli cli = new Cli(home);
        Process exited = new ProcessBuilder("true").start();
        assertTrue(exited.waitFor(10, TimeUnit.SECONDS));
        try (FakeDaemon d = new FakeDaemon(cli.home().socket())) {
            d.json("GET", ControlApi.DAEMON, 200, DaemonInfo.of(status(exited.pid())));
            // start and stop need the pid only: a status would count a large queue first
            d.json("GET", ControlApi.STATUS, 500, Map.of("error", "start and stop must not ask for the status"));
            d.on("POST", ControlApi.SHUTDOWN, r -> {
                // the real daemon stops serving once it has answered; the fake stops answering
                d.on("GET", ControlApi.DAEMON, x -> FakeDaemon.response(503, "application/json",
                        "{\"error\":\"shutting down\"}".getBytes(StandardCharsets.UTF_8), Version.current()));
                return FakeDaemon.response(200, "application/json", "{}".getBytes(StandardCharsets.UTF_8), Version.current());
            });
            Cli.Result start = cli.run("daemon", "start");
            assertEquals(ExitCodes.OK, start.exit(), start.toString());
            assertEquals("Daemon already running (pid " + exited.pid() + ")\n", start.out());

            Cli.Result stop = cli.run("daemon", "stop");
            assertEquals(ExitCodes.OK, stop.exit(), stop.toString());
            assertEquals("Daemon stopped (pid " + exited.pid() + ")\n", stop.out());
        }
        Cli.Result again = cli.run("daemon", "stop");
        assertEquals("Daemon is not running\n", again.out());
    }

    @Test
    void aDaemonOlderThanItsDaemonPathIsFoundByItsStatus() throws Exception {
        Cli cli = new Cli(home);
        try (FakeDaemon d = new FakeDaemon(cli.home().socket()).json("GET", ControlApi.STATUS, 200, status(4242))) {
            Cli.Result start = cli.run("daemon", "start"); // GET /v1/daemon: 404, no such route there
            assertEquals(ExitCodes.OK, start.exit(), start.toString());
            assertEquals("Daemon already running (pid 4242)\n", start.out());
        }
    }

    @Test
    void aProcessThatExitedButIsNotReapedHasExited() throws Exception {
        // sh starts `true` in the background and becomes `sleep`, which never reaps it: a zombie, as a
        // stopped daemon is until whatever adopted it (a container's first process) reaps it.
        Process parent = new ProcessBuilder("sh", "-c", "true & echo $!; exec sleep 20").start();
        try {
            long zombie = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(parent.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine().trim());
            Await.until(java.time.Duration.ofSeconds(10), "the background process to exit", () -> DaemonControl.exited(zombie));
            assertTrue(ProcessHandle.of(zombie).map(ProcessHandle::isAlive).orElse(false), "a zombie, which isAlive calls alive");
            assertFalse(DaemonControl.exited(parent.pid()));
        } finally {
            parent.destroyForcibly();
        }
    }

    @Test
    void startWithoutAnInstallationSaysToUseTheLauncher() {
        // The daemon runs in its own JVM with its own class path, which only an installation has.
        for (String[] args : new String[][] {{"daemon", "start"}, {"daemon", "run"}}) {
            Cli.Result r = new Cli(home).run(args);
            assertEquals(ExitCodes.FAILURE, r.exit(), r.toString());
            assertTrue(r.err().contains("use the bin/spec-kitty launcher"), r.err());
        }
    }

    @Test
    void startReportsADaemonThatDiesAtStartUpWithItsOutput() throws Exception {
        Path app = Files.createDirectories(home.resolve("app/bin"));
        Path launcher = app.resolve("spec-kitty");
        Files.writeString(launcher, "#!/bin/sh\necho \"cannot bind: address in use\" >&2\nexit 3\n");
        launcher.toFile().setExecutable(true);
        Cli.Result r = new Cli(home).appHome(home.resolve("app")).run("daemon", "start");
        assertEquals(ExitCodes.FAILURE, r.exit(), r.toString());
        assertTrue(r.err().contains("exited at start-up with status 3") && r.err().contains("cannot bind: address in use"), r.err());
    }

    @Test
    void logsPrintsTheLastLines() throws Exception {
        Cli cli = new Cli(home);
        Cli.Result none = cli.run("daemon", "logs");
        assertEquals(ExitCodes.FAILURE, none.exit());
        assertTrue(none.err().contains("no daemon log"), none.err());
        Files.createDirectories(cli.home().logs());
        Files.writeString(cli.home().logs().resolve("daemon.log"), "one\ntwo\nthree\n");
        assertEquals("two\nthree\n", cli.run("daemon", "logs", "-n", "2").out());
        assertEquals("one\ntwo\nthree\n", cli.run("daemon", "logs").out());
    }
}
