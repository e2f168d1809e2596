package dev.speckitty.e2e.hostile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Samples a process's resident memory ({@code VmRSS} of {@code /proc/<pid>/status}) every 50 ms on a
 * thread of its own and keeps the peak, overall and since the last {@link #mark}. Thread-safe.
 */
final class ServerMemory implements AutoCloseable {
    private final Path status;
    private final AtomicLong peakKb = new AtomicLong();
    private final AtomicLong peakSinceMarkKb = new AtomicLong();
    private final Thread sampler;
    private volatile boolean stopped;

    ServerMemory(long pid) {
        this.status = Path.of("/proc", Long.toString(pid), "status");
        this.sampler = new Thread(this::sample, "server-rss");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** The current resident set in MB, or -1 when the process is gone. */
    long currentMb() {
        return rssKb() / 1024;
    }

    long peakMb() {
        return peakKb.get() / 1024;
    }

    /** The peak since the previous mark, in MB. */
    long peakSinceMarkMb() {
        return peakSinceMarkKb.get() / 1024;
    }

    /** The peak since the previous mark, in MB; starts a new period. */
    long mark() {
        return peakSinceMarkKb.getAndSet(Math.max(0, rssKb())) / 1024;
    }

    private void sample() {
        while (!stopped) {
            long kb = rssKb();
            if (kb > 0) {
                peakKb.accumulateAndGet(kb, Math::max);
                peakSinceMarkKb.accumulateAndGet(kb, Math::max);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    private long rssKb() {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        stopped = true;
    }
}
