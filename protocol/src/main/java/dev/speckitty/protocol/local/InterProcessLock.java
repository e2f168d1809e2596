package dev.speckitty.protocol.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * An exclusive lock across threads and processes, held on a lock file ({@code credentials.lock},
 * {@code clock.lock}). Blocks until the lock is free. The JVM-wide {@link ReentrantLock} per path is
 * needed because a file lock is owned by the whole process and cannot be taken twice by one JVM.
 */
public final class InterProcessLock {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private InterProcessLock() {
    }

    /**
     * Runs {@code action} while holding the lock on {@code lockFile} (created 0600 if missing, with
     * its directory). Reentrant: a thread that already holds the lock runs {@code action} directly,
     * because asking the OS again from the same JVM would throw {@code OverlappingFileLockException}.
     */
    public static <T> T withLock(Path lockFile, Supplier<T> action) {
        Path key = lockFile.toAbsolutePath().normalize();
        ReentrantLock local = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock());
        local.lock();
        try {
            if (local.getHoldCount() > 1) {
                return action.get();
            }
            Files.createDirectories(key.getParent());
            try (FileChannel ch = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FilePermissions.privateFile(key);
                try (FileLock ignored = ch.lock()) {
                    return action.get();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + key + ": " + e.getMessage()
                    + " (check that the directory is writable by this user)", e);
        } finally {
            local.unlock();
        }
    }
}
