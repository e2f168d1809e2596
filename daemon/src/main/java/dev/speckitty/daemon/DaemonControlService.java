package dev.speckitty.daemon;

import dev.speckitty.daemon.control.ControlService;
import dev.speckitty.engine.LocalEngine;
import dev.speckitty.daemon.sync.SyncService;
import dev.speckitty.protocol.Version;
import dev.speckitty.protocol.control.DaemonInfo;
import dev.speckitty.protocol.control.DryRunReport;
import dev.speckitty.protocol.control.EnqueueRequest;
import dev.speckitty.protocol.control.EnqueueResponse;
import dev.speckitty.protocol.control.ParkedAction;
import dev.speckitty.protocol.control.ParkedEvent;
import dev.speckitty.protocol.control.QueueStats;
import dev.speckitty.protocol.control.StatusResponse;
import dev.speckitty.protocol.control.SyncRequest;
import dev.speckitty.protocol.control.SyncSummary;
import dev.speckitty.protocol.control.SyncUpdate;
import dev.speckitty.protocol.local.ClockState;
import dev.speckitty.protocol.local.Credentials;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** The control API of a running daemon: the local engine plus the live session's state. Thread-safe. */
final class DaemonControlService implements ControlService {
    private final LocalEngine engine;
    private final SyncService service;
    private final Runnable shutdown;
    private final long startedNanos = System.nanoTime();
    private final AtomicLong enqueued = new AtomicLong();
    private final AtomicLong syncs = new AtomicLong();

    DaemonControlService(LocalEngine engine, SyncService service, Runnable shutdown) {
        this.engine = engine;
        this.service = service;
        this.shutdown = shutdown;
    }

    @Override
    public DaemonInfo daemonInfo() {
        return new DaemonInfo(Version.current(), ProcessHandle.current().pid(), uptimeSeconds(),
                engine.serverUrl().map(URI::toString).orElse(null), service.state(), service.lastError().orElse(null),
                service.nextRetryAt().map(Instant::toString).orElse(null), service.serverVersion().orElse(null), service.live(),
                service.pollInterval().toSeconds());
    }

    @Override
    public StatusResponse status() {
        DaemonInfo d = daemonInfo();
        Optional<Credentials> user = engine.credentials();
        ClockState clock = engine.clockState();
        return new StatusResponse(d.version(), d.pid(), d.uptimeS(), d.serverUrl(), d.connection(), d.lastError(), d.nextRetryAt(),
                user.map(Credentials::username).orElse(null), user.map(Credentials::teamSlug).orElse(null),
                engine.queueStats(), service.lastSync().orElse(null), engine.cursor(), clock.value(), clock.nodeId(),
                engine.inboxSize(), d.serverVersion(), d.live(), d.pollIntervalS(), engine.inboxIssues(), engine.waiting());
    }

    @Override
    public EnqueueResponse enqueue(EnqueueRequest request) {
        EnqueueResponse response = engine.enqueue(request);
        enqueued.addAndGet(response.accepted());
        service.enqueued();
        return response;
    }

    @Override
    public java.util.concurrent.CompletableFuture<EnqueueResponse> enqueueLater(EnqueueRequest request, long bytes) {
        return engine.enqueueGrouped(request, bytes).thenApply(response -> {
            enqueued.addAndGet(response.accepted());
            service.enqueued();
            return response;
        });
    }

    @Override
    public SyncSummary sync(SyncRequest request, Consumer<SyncUpdate> updates) {
        syncs.incrementAndGet();
        return service.syncNow(request, updates);
    }

    @Override
    public DryRunReport dryRun() {
        return engine.dryRun();
    }

    @Override
    public List<ParkedEvent> parked() {
        return engine.parked();
    }

    @Override
    public int retryParked(ParkedAction action) {
        int n = engine.retryParked(action);
        service.enqueued();
        return n;
    }

    @Override
    public int discardParked(ParkedAction action) {
        return engine.discardParked(action);
    }

    @Override
    public String metrics() {
        QueueStats q = engine.queueStats();
        StringBuilder out = new StringBuilder();
        gauge(out, "spec_kitty_queue_depth", "Events waiting in the queue.", q.depth());
        gauge(out, "spec_kitty_queue_oldest_age_seconds", "Age of the oldest queued event.", q.oldestAgeS());
        gauge(out, "spec_kitty_queue_parked", "Events parked after repeated rejection.", q.parked());
        gauge(out, "spec_kitty_inbox_events", "Events pulled from the team server.", engine.inboxSize());
        gauge(out, "spec_kitty_connected", "1 while the WebSocket to the server is open.",
                service.state() == dev.speckitty.protocol.control.ConnectionState.CONNECTED ? 1 : 0);
        gauge(out, "spec_kitty_uptime_seconds", "Seconds since the daemon started.", uptimeSeconds());
        counter(out, "spec_kitty_enqueued_total", "Events queued through the control API.", enqueued.get());
        counter(out, "spec_kitty_sync_requests_total", "Syncs asked for through the control API.", syncs.get());
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n").append(name).append(' ').append(value).append('\n');
    }

    @Override
    public void shutdown() {
        shutdown.run();
    }

    private long uptimeSeconds() {
        return (System.nanoTime() - startedNanos) / 1_000_000_000L;
    }
}
