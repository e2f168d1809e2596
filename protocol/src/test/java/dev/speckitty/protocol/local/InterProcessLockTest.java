package dev.speckitty.protocol.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock file guard: mutual exclusion inside one JVM, reentrancy, and its file. (Across JVMs: LamportClockProcessTest.) */
class InterProcessLockTest {
    @TempDir
    Path dir;

    @Test
    void createsTheLockFile0600AndItsDirectory() throws IOException {
        Path lock = dir.resolve("new/dir/x.lock");
        assertEquals("ok", InterProcessLock.withLock(lock, () -> "ok"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(lock)));
    }

    @Test
    void nestedUseFromTheHoldingThreadDoesNotDeadlockOrThrow() {
        Path lock = dir.resolve("x.lock");
        assertEquals(3, InterProcessLock.withLock(lock, () -> InterProcessLock.withLock(lock, () -> 3)));
        assertEquals(4, InterProcessLock.withLock(lock, () -> 4), "released after the nested use");
    }

    @Test
    void secondThreadWaitsForTheFirst() throws Exception {
        Path lock = dir.resolve("x.lock");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean firstInside = new AtomicBoolean();
        AtomicBoolean overlap = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> new Thread(r, "lock-test"));
        try {
            Future<?> first = pool.submit(() -> InterProcessLock.withLock(lock, () -> {
                firstInside.set(true);
                held.countDown();
                try {
                    assertTrue(release.await(30, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                firstInside.set(false);
                return null;
            }));
            assertTrue(held.await(30, TimeUnit.SECONDS));
            Future<?> second = pool.submit(() -> InterProcessLock.withLock(lock, () -> {
                overlap.set(firstInside.get());
                return null;
            }));
            release.countDown();
            first.get(30, TimeUnit.SECONDS);
            second.get(30, TimeUnit.SECONDS);
            assertFalse(overlap.get(), "both threads were inside the lock at once");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unwritableDirectoryIsAnErrorNamingTheLockFile() throws IOException {
        Path ro = dir.resolve("ro");
        Files.createDirectories(ro);
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-x------"));
        try {
            assumeFalse(Files.isWritable(ro), "running as root: directory permissions are not enforced");
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> InterProcessLock.withLock(ro.resolve("x.lock"), () -> 1));
            assertTrue(e.getMessage().startsWith("cannot lock " + ro.resolve("x.lock")), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void exceptionsFromTheActionReleaseTheLock() {
        Path lock = dir.resolve("x.lock");
        assertThrows(IllegalStateException.class, () -> InterProcessLock.withLock(lock, () -> {
            throw new IllegalStateException("boom");
        }));
        assertEquals(1, InterProcessLock.withLock(lock, () -> 1));
    }
}
