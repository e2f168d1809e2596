package dev.speckitty.e2e.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.e2e.support.SpecKitty;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.local.SpecKittyHome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, finding 4: with a home path too long for a Unix socket and no {@code XDG_RUNTIME_DIR},
 * the control socket falls back to {@code <tmp>/spec-kitty-<user>/}. Another local user makes that
 * directory first (mode 0777) and binds the socket name. Before: the victim's {@code daemon start}
 * failed and {@code events emit} printed "Queued" and exited 0 while the event went to the other
 * user. Now the daemon refuses the directory and says how to fix it, and the CLI checks the peer
 * before it sends a byte, warns, and queues locally. The other user is a real second Unix user
 * ({@code nobody}, or one this test creates), running its own JVM; this needs root ({@code runuser}).
 */
@Timeout(300)
class ControlSocketHijackTest {
    @TempDir
    Path dir;

    @Test
    void anotherUsersSocketGetsNoEventAndTheDaemonRefusesItsDirectory() throws Exception {
        String intruder = otherUser();
        // A world-writable stand-in for /tmp (the daemon's and CLI's java.io.tmpdir), so the test does not touch the real one.
        Path sharedTmp = Files.createTempDirectory(Path.of("/tmp"), "spec-kitty-hijack-");
        Files.setPosixFilePermissions(sharedTmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        Process hijacker = null;
        try (Rig rig = Rig.create(dir.resolve("a-home-path-long-enough".repeat(3)).resolve("that-its-socket-cannot-live-in-it"))) {
            SpecKitty sk = rig.sk;
            sk.environment().put("XDG_RUNTIME_DIR", "");
            sk.environment().put("SPEC_KITTY_JAVA_OPTS", "-Djava.io.tmpdir=" + sharedTmp);
            sk.environment().put("SPEC_KITTY_DAEMON_OPTS", "-Djava.io.tmpdir=" + sharedTmp);
            String victim = System.getProperty("user.name");
            Path fallback = sharedTmp.resolve("spec-kitty-" + victim);
            Path socket = new SpecKittyHome(sk.home(), fallback).socket();
            assertTrue(socket.startsWith(fallback), "the home is long enough for the fallback: " + socket);
            rig.login(rig.server.url());

            hijacker = startHijacker(intruder, fallback, socket, sharedTmp);

            SpecKitty.Run start = sk.run("daemon", "start");
            assertEquals(1, start.exit(), start.toString());
            String said = start.out() + start.err();
            assertTrue(said.contains("the control socket directory " + fallback + " belongs to " + intruder), said);
            assertTrue(said.contains("mode 0777 (expected: owned by " + victim + ", mode 0700)") && said.contains("sudo rm -rf " + fallback), said);

            String confidential = "confidential-plan-" + System.nanoTime();
            SpecKitty.Run emit = rig.ok("events", "emit", "HistoryAdded", "--aggregate-id", "WP01",
                    "--payload", "{\"wp_id\":\"WP01\",\"entry_type\":\"note\",\"entry_content\":\"" + confidential + "\"}");
            assertTrue(emit.out().startsWith("Queued HistoryAdded"), emit.toString());
            assertTrue(emit.err().contains("warning: the control socket " + socket + " is served by user " + intruder
                    + ", not by you (" + victim + "): nothing was sent to it"), emit.toString());
            assertEquals(1, rig.depth(), "the event is in this user's own queue");
            SpecKitty.Run status = rig.ok("sync", "status", "--json");
            JsonNode s = Json.tree(status.out());
            assertFalse(s.at("/daemon/running").asBoolean(), status.toString());
            assertTrue(status.err().contains("is served by user " + intruder), status.toString());
            SpecKitty.Run sync = rig.ok("sync", "now");
            assertTrue(sync.out().contains("Pushed 1 event"), sync.toString());
            List<String> received = Files.readAllLines(fallback.resolve("received"));
            assertTrue(received.stream().allMatch("0"::equals), "the other user's socket received no byte: " + received);
            assertTrue(received.size() >= 3, "and was connected to (then left): " + received);

            // Once the directory is gone, the daemon starts and takes the events as usual.
            stop(hijacker);
            deleteTree(fallback);
            rig.ok("daemon", "start");
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fallback)));
            rig.ok("events", "emit", "HistoryAdded", "--aggregate-id", "WP01",
                    "--payload", "{\"wp_id\":\"WP01\",\"entry_type\":\"note\",\"entry_content\":\"after\"}");
            rig.ok("sync", "now");
            Rig.Tally t = rig.tally(new HashSet<>(List.of(confidential, "after")));
            assertEquals(0, t.lost());
            assertEquals(0, t.duplicated());
            Summary.print("security", "socket_hijack: intruder=" + intruder + " daemon_start=refused(exit " + start.exit()
                    + ") emit=local(exit 0, warned) bytes_to_intruder=0 connections=" + received.size() + " lost=0");
        } finally {
            if (hijacker != null) {
                stop(hijacker);
            }
            deleteTree(sharedTmp);
        }
    }

    /** {@code nobody}, or a system user this test creates; the test is skipped where neither can run a process. */
    private static String otherUser() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        Assumptions.assumeTrue(root && Files.isExecutable(Path.of("/usr/sbin/runuser")),
                "SKIPPED: the hijack test runs a process as a second Unix user, which needs root and runuser");
        if (run("getent", "passwd", "nobody") == 0) {
            return "nobody";
        }
        String name = "spec-kitty-intruder";
        if (run("getent", "passwd", name) != 0) {
            assertEquals(0, run("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name), "useradd " + name);
        }
        return name;
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command));
        return p.exitValue();
    }

    /** The other user's JVM: makes {@code fallback} (0777) and binds {@code socket}; answers once it listens. */
    /** Kills runuser and the other user's JVM under it (killing runuser alone leaves the JVM running). */
    private static void stop(Process hijacker) throws InterruptedException {
        hijacker.descendants().forEach(ProcessHandle::destroyForcibly);
        hijacker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    private static Process startHijacker(String user, Path fallback, Path socket, Path sharedTmp) throws Exception {
        Path source = sharedTmp.resolve("Hijacker.java");
        try (var in = ControlSocketHijackTest.class.getResourceAsStream("/hijack/Hijacker.java")) {
            Files.write(source, in.readAllBytes());
        }
        Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rw-r--r--"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("/usr/sbin/runuser", "-u", user, "--", java, "-Djava.io.tmpdir=" + sharedTmp,
                source.toString(), fallback.toString(), socket.toString()).redirectErrorStream(true).start();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                StringBuilder all = new StringBuilder();
                for (String line; (line = out.readLine()) != null; ) {
                    all.append(line).append('\n');
                    if (line.startsWith("listening on ")) {
                        ready.complete(line);
                    }
                }
                ready.completeExceptionally(new IOException("the other user's process ended: " + all));
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
        }, "hijacker-output");
        reader.setDaemon(true);
        reader.start();
        ready.get(90, TimeUnit.SECONDS);
        assertNotEquals(System.getProperty("user.name"), Files.getOwner(fallback).getName(), "made by the other user");
        return p;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
