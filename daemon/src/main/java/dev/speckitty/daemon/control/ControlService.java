package dev.speckitty.daemon.control;

import dev.speckitty.protocol.control.DaemonInfo;
import dev.speckitty.protocol.control.DryRunReport;
import dev.speckitty.protocol.control.EnqueueRequest;
import dev.speckitty.protocol.control.EnqueueResponse;
import dev.speckitty.protocol.control.ParkedAction;
import dev.speckitty.protocol.control.ParkedEvent;
import dev.speckitty.protocol.control.StatusResponse;
import dev.speckitty.protocol.control.SyncRequest;
import dev.speckitty.protocol.control.SyncSummary;
import dev.speckitty.protocol.control.SyncUpdate;

import java.util.List;
import java.util.function.Consumer;

/**
 * What the control API serves, independent of HTTP. Every method blocks (SQLite, network), so the
 * control server calls them on its blocking executor, never on an event loop. Implementations are
 * thread-safe.
 *
 * <p>Errors: {@link dev.speckitty.protocol.event.InvalidEventException} (bad events, nothing queued),
 * {@link dev.speckitty.engine.store.QueueFullException} (queue at its cap, nothing queued),
 * {@link IllegalArgumentException} (a bad request); anything else is an internal error.
 */
public interface ControlService {
    StatusResponse status();

    /** Which daemon runs and the state of its link: {@link #status}'s fields of the same names, without counting the queue. */
    DaemonInfo daemonInfo();

    /** Validates and queues every event of the request in one transaction, or none. */
    EnqueueResponse enqueue(EnqueueRequest request);

    /**
     * {@link #enqueue}, answered later: the future completes once the events are committed (the daemon
     * commits concurrent requests in groups). A request found invalid may throw at once. {@code bytes}:
     * the size of its body. By default, {@link #enqueue} on the caller's thread.
     */
    default java.util.concurrent.CompletableFuture<EnqueueResponse> enqueueLater(EnqueueRequest request, long bytes) {
        return java.util.concurrent.CompletableFuture.completedFuture(enqueue(request));
    }

    /** Runs one sync now (or waits for the one in flight and runs again), streaming progress to {@code updates}. */
    SyncSummary sync(SyncRequest request, Consumer<SyncUpdate> updates);

    DryRunReport dryRun();

    List<ParkedEvent> parked();

    /** Puts parked events back in the queue; answers how many. */
    int retryParked(ParkedAction action);

    /** Deletes parked events for good; answers how many. */
    int discardParked(ParkedAction action);

    /** Prometheus text exposition of the daemon's counters and gauges. */
    String metrics();

    /** Asks the daemon to stop after the answer is sent; returns at once. */
    void shutdown();
}
