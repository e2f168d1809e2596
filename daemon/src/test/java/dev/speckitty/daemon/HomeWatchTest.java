package dev.speckitty.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HomeWatchTest {
    private static final Duration EVERY = Duration.ofMillis(20);

    @TempDir
    Path home;

    private final BlockingQueue<Path> changes = new ArrayBlockingQueue<>(10);

    private HomeWatch watch(Path... files) {
        return HomeWatch.start(List.of(files), EVERY, changes::add);
    }

    @Test
    void filesLeftAloneAreNeverReported() throws Exception {
        Path lock = Files.writeString(home.resolve("daemon.lock"), "1\n");
        Path queue = Files.writeString(home.resolve("queue.db"), "x");
        try (HomeWatch ignored = watch(lock, queue)) {
            Files.writeString(queue, "written in place, as SQLite does");
            assertNull(changes.poll(300, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void aDeletedHomeIsReportedOnce() throws Exception {
        Path lock = Files.writeString(home.resolve("daemon.lock"), "1\n");
        Path queue = Files.writeString(home.resolve("queue.db"), "x");
        try (HomeWatch ignored = watch(lock, queue)) {
            Files.delete(queue);
            Files.delete(lock);
            assertEquals(lock, changes.poll(5, TimeUnit.SECONDS));
            assertNull(changes.poll(200, TimeUnit.MILLISECONDS), "reported once");
        }
    }

    @Test
    void aReplacedFileIsReported() throws Exception {
        Path lock = Files.writeString(home.resolve("daemon.lock"), "1\n");
        try (HomeWatch ignored = watch(lock)) {
            Path other = Files.writeString(home.resolve("other"), "2\n");
            Files.move(other, lock, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertEquals(lock, changes.poll(5, TimeUnit.SECONDS));
        }
    }

    /** The daemon's own shutdown removes its socket after closing the watch: that is never reported. */
    @Test
    void nothingIsReportedAfterClose() throws Exception {
        Path socket = Files.writeString(home.resolve("daemon.sock"), "");
        watch(socket).close();
        Files.delete(socket);
        assertNull(changes.poll(200, TimeUnit.MILLISECONDS));
    }
}
