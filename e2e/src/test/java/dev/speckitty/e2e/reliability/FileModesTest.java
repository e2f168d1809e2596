package dev.speckitty.e2e.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.daemon.control.SocketPaths;
import dev.speckitty.protocol.local.SpecKittyHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, finding 5: under umask 000 every file the daemon and the CLI make in the home is 0600
 * and every directory 0700 (before: queue.db, its -wal and -shm and the logs were 0644, logs/ 0755),
 * and looser modes left by another tool are repaired when the daemon starts, and logged.
 */
@Timeout(300)
class FileModesTest {
    @TempDir
    Path dir;

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void everyFileIsPrivateWhateverTheUmaskAndLooserModesAreRepaired() throws Exception {
        try (Rig rig = Rig.create(dir)) {
            rig.sk.umask("000");
            Path home = rig.sk.home();
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx")); // as a umask-000 mkdir makes it
            rig.login(rig.server.url());
            rig.ok("events", "import", rig.draftsFile("a.ndjson", Rig.markers("a-", 0, 50)).toString());
            rig.ok("daemon", "start");
            rig.ok("sync", "now");
            Path socket = SocketPaths.resolve(SpecKittyHome.at(home));
            Map<Path, String> expected = new LinkedHashMap<>();
            expected.put(home, "rwx------");
            expected.put(home.resolve("logs"), "rwx------");
            for (String f : List.of("queue.db", "queue.db-wal", "queue.db-shm", "daemon.lock", "clock.json", "clock.lock",
                    "credentials", "credentials.lock", "config.toml", "logs/daemon.log", "logs/daemon.out")) {
                expected.put(home.resolve(f), "rw-------");
            }
            expected.put(socket, "rw-------");
            for (Map.Entry<Path, String> e : expected.entrySet()) {
                assertTrue(Files.exists(e.getKey(), LinkOption.NOFOLLOW_LINKS), e.getKey() + " exists");
                assertEquals(e.getValue(), mode(e.getKey()), e.getKey().toString());
            }
            rig.ok("daemon", "stop");

            // Another tool (or an older version) left them readable to all.
            for (String f : List.of("queue.db", "clock.json", "logs/daemon.log", "config.toml")) {
                Files.setPosixFilePermissions(home.resolve(f), PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.setPosixFilePermissions(home.resolve("logs"), PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
            rig.ok("daemon", "start");
            for (Map.Entry<Path, String> e : expected.entrySet()) {
                if (Files.exists(e.getKey(), LinkOption.NOFOLLOW_LINKS)) {
                    assertEquals(e.getValue(), mode(e.getKey()), "repaired: " + e.getKey());
                }
            }
            String log = Files.readString(home.resolve("logs/daemon.log"));
            assertTrue(log.contains("file modes: " + home.resolve("queue.db") + ": 0644 -> 0600"), log);
            assertTrue(log.contains("file modes: " + home.resolve("logs") + ": 0755 -> 0700"), log);
            assertTrue(log.contains("file modes: " + home + ": 0755 -> 0700"), log);
            rig.ok("events", "import", rig.draftsFile("b.ndjson", Rig.markers("b-", 0, 5)).toString());
            rig.ok("sync", "now");
            Rig.Tally t = rig.tally(new java.util.HashSet<>(Rig.combined(Rig.markers("a-", 0, 50), Rig.markers("b-", 0, 5))));
            assertEquals(0, t.lost());
            Summary.print("security", "modes(umask 000): files=" + (expected.size() - 2) + " all 0600, dirs=2 all 0700; repaired_on_start=6");
        }
    }
}
