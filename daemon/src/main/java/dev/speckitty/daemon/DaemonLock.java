package dev.speckitty.daemon;

import dev.speckitty.protocol.local.FilePermissions;
import dev.speckitty.protocol.local.SpecKittyHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The single-instance lock: an exclusive OS lock on {@code daemon.lock} holding the owner's pid. The
 * OS drops the lock when the process dies, so a crash never leaves a daemon "running". Thread-safe.
 */
public final class DaemonLock implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DaemonLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock for {@code home} and writes this process's pid into it.
     *
     * @throws AlreadyRunningException when another daemon (or this JVM) holds it
     */
    public static DaemonLock acquire(SpecKittyHome home) {
        Path file = home.daemonLock();
        FileChannel channel = null;
        try {
            FilePermissions.privateDirectory(file.toAbsolutePath().getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FilePermissions.privateFile(file);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this JVM already: the same answer as another process
            }
            if (lock == null) {
                long pid = readPid(channel);
                channel.close();
                throw new AlreadyRunningException(pid);
            }
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            channel.force(false);
            return new DaemonLock(file, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot take the daemon lock " + file + " (" + e.getMessage()
                    + "); check that SPEC_KITTY_HOME is writable by this user", e);
        }
    }

    public Path file() {
        return file;
    }

    private static long readPid(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(64);
        channel.read(buf, 0);
        String text = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1; // the owner is between taking the lock and writing its pid
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to release beyond the descriptor
            }
        }
    }

    /** Releases the lock; the file stays (deleting it would let two daemons lock two different files). */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it too
        }
        closeQuietly(channel);
    }
}
