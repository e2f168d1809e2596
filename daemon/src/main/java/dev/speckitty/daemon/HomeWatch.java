package dev.speckitty.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import dev.speckitty.protocol.time.Cancellable;
import dev.speckitty.protocol.time.Scheduler;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Notices when a running daemon's home is taken from under it: its lock file, control socket or
 * queue file deleted or replaced (say, {@code rm -rf ~/.spec-kitty} while it runs). Such a daemon
 * can no longer be reached, its queue has no name any more, and a new daemon would lock a new file
 * and run beside it; so it should stop. Compares each file's identity (device and inode where the
 * file system has them) with the one it had at the start, every interval, on the scheduler it is
 * given (the daemon's {@code home-watch-1} thread); reports the first file that changed once, then
 * stops checking. Thread-safe: a check runs under the watch's monitor, which {@link #close} takes.
 */
final class HomeWatch implements AutoCloseable {
    /** System property: the interval in milliseconds (tests shorten it). */
    static final String INTERVAL_PROPERTY = "spec-kitty.daemon.home-check-ms";
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

    private final Map<Path, Object> identities;
    private final Consumer<Path> onChange;
    private final AtomicLong checks = new AtomicLong();
    private boolean stopped; // guarded by this
    private Cancellable timer; // guarded by this

    private HomeWatch(Map<Path, Object> identities, Consumer<Path> onChange) {
        this.identities = identities;
        this.onChange = onChange;
    }

    /**
     * Starts watching {@code files}, which must exist now, every {@code every} on {@code scheduler};
     * {@code onChange} gets the first one found deleted or replaced.
     */
    static HomeWatch start(List<Path> files, Duration every, Scheduler scheduler, Consumer<Path> onChange) {
        Map<Path, Object> identities = new LinkedHashMap<>();
        for (Path file : files) {
            identities.put(file, identity(file).orElseThrow(() -> new IllegalStateException(file + " is missing")));
        }
        HomeWatch watch = new HomeWatch(identities, onChange);
        long millis = every.toMillis();
        synchronized (watch) {
            watch.timer = scheduler.scheduleWithFixedDelay(watch::check, millis, millis, TimeUnit.MILLISECONDS);
        }
        return watch;
    }

    private synchronized void check() {
        if (stopped) {
            return;
        }
        for (Map.Entry<Path, Object> e : identities.entrySet()) {
            if (!identity(e.getKey()).equals(Optional.of(e.getValue()))) {
                stop();
                onChange.accept(e.getKey());
                return;
            }
        }
        checks.incrementAndGet();
    }

    private synchronized void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel();
        }
    }

    /** How many checks have found every file as it was (so a test can tell "nothing changed" from "never looked"). */
    long checks() {
        return checks.get();
    }

    /** The interval from {@link #INTERVAL_PROPERTY}, else {@link #DEFAULT_INTERVAL}. */
    static Duration interval() {
        Long millis = Long.getLong(INTERVAL_PROPERTY);
        return millis == null || millis <= 0 ? DEFAULT_INTERVAL : Duration.ofMillis(millis);
    }

    /** The file's identity: its file key (device and inode), or the path itself where there is none; empty when it is gone. */
    private static Optional<Object> identity(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return Optional.of(Objects.requireNonNullElse(attributes.fileKey(), file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Stops checking; once it returns, no report is running or will come (a running check holds the monitor). */
    @Override
    public void close() {
        stop();
    }
}
