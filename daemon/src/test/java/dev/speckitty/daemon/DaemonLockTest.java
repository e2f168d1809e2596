package dev.speckitty.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.protocol.local.SpecKittyHome;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class DaemonLockTest {
    @TempDir
    Path dir;

    @Test
    void oneHolderPerHomeInThisProcess() throws Exception {
        SpecKittyHome home = SpecKittyHome.at(dir.resolve("home"));
        long pid = ProcessHandle.current().pid();
        try (DaemonLock lock = DaemonLock.acquire(home)) {
            assertEquals(pid + "\n", Files.readString(home.daemonLock()));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.daemonLock())));
            AlreadyRunningException e = assertThrows(AlreadyRunningException.class, () -> DaemonLock.acquire(home));
            assertEquals("already running (pid " + pid + ")", e.getMessage());
            assertEquals(pid, e.pid());
        }
        DaemonLock.acquire(home).close(); // released: free again
    }

    @Test
    void aSecondProcessIsRefusedWithTheHoldersPid() throws Exception {
        SpecKittyHome home = SpecKittyHome.at(dir.resolve("home"));
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockHolderMain.class.getName(), home.root().toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine());
            AlreadyRunningException e = assertThrows(AlreadyRunningException.class, () -> DaemonLock.acquire(home));
            assertEquals("already running (pid " + holder.pid() + ")", e.getMessage());
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
            DaemonLock.acquire(home).close();
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void aKilledHolderLeavesNoLockBehind() throws Exception {
        SpecKittyHome home = SpecKittyHome.at(dir.resolve("home"));
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockHolderMain.class.getName(), home.root().toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine());
            holder.destroyForcibly();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
            try (DaemonLock lock = DaemonLock.acquire(home)) {
                assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(home.daemonLock()));
            }
        } finally {
            holder.destroyForcibly();
        }
    }
}
