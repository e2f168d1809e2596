package dev.speckitty.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.speckitty.protocol.testing.VirtualTime;
import dev.speckitty.protocol.time.Scheduler;
import dev.speckitty.testing.Await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HomeWatchTest {
    private static final Duration EVERY = Duration.ofMillis(20);

    @TempDir
    Path home;

    private final BlockingQueue<Path> changes = new ArrayBlockingQueue<>(10);
    /** The daemon's kind of thread, so these cases also show the watch on a real timer. */
    private final ScheduledThreadPoolExecutor thread = Daemon.singleThreadScheduler("home-watch");
    private final Scheduler scheduler = Scheduler.of(thread);

    @AfterEach
    void stopThread() {
        thread.shutdownNow();
    }

    private HomeWatch watch(Path... files) {
        return HomeWatch.start(List.of(files), EVERY, scheduler, changes::add);
    }

    /** Pins the cadence: one check per interval on the scheduler it is given, none in between, the change reported at the first check after it. */
    @Test
    void checksRunOncePerIntervalOnTheGivenScheduler() throws Exception {
        VirtualTime time = new VirtualTime();
        Path lock = Files.writeString(home.resolve("daemon.lock"), "1\n");
        try (HomeWatch watch = HomeWatch.start(List.of(lock), Duration.ofSeconds(2), time, changes::add)) {
            time.advance(Duration.ofMillis(1999));
            assertEquals(0, watch.checks());
            time.advance(Duration.ofMillis(1));
            assertEquals(1, watch.checks());
            time.advance(Duration.ofSeconds(6));
            assertEquals(4, watch.checks());
            Files.delete(lock);
            time.advance(Duration.ofMillis(1999));
            assertNull(changes.poll(), "not before the next check");
            time.advance(Duration.ofMillis(1));
            assertEquals(lock, changes.poll());
            time.advance(Duration.ofSeconds(20));
            assertNull(changes.poll(), "reported once");
            assertEquals(0, time.pending(), "no check left after the report");
        }
    }

    @Test
    void filesLeftAloneAreNeverReported() throws Exception {
        Path lock = Files.writeString(home.resolve("daemon.lock"), "1\n");
        Path queue = Files.writeString(home.resolve("queue.db"), "x");
        try (HomeWatch watch = watch(lock, queue)) {
            Files.writeString(queue, "written in place, as SQLite does");
            // Checks that ran after the write, not a pause: a watch that never looks fails here.
            long before = watch.checks();
            awaitChecks(watch, before + 3);
            assertNull(changes.poll());
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
        BlockingQueue<Path> witnessed = new ArrayBlockingQueue<>(10);
        HomeWatch closed = watch(socket);
        awaitChecks(closed, 1);
        try (HomeWatch witness = HomeWatch.start(List.of(socket), EVERY, scheduler, witnessed::add)) {
            closed.close();
            long checksAtClose = closed.checks();
            Files.delete(socket);
            // A watch still open sees the deletion, so the closed one had the time to report it too.
            assertEquals(socket, witnessed.poll(5, TimeUnit.SECONDS));
            assertNull(changes.poll());
            assertEquals(checksAtClose, closed.checks(), "no check after close");
        }
    }

    private static void awaitChecks(HomeWatch watch, long atLeast) {
        Await.until(Duration.ofSeconds(5), "the watch to run " + atLeast + " checks (it ran " + watch.checks() + " before)",
                () -> watch.checks() >= atLeast);
    }
}
