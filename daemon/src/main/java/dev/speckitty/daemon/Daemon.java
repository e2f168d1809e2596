package dev.speckitty.daemon;

import dev.speckitty.daemon.control.ControlServer;
import dev.speckitty.daemon.control.SocketPaths;
import dev.speckitty.engine.LocalEngine;
import dev.speckitty.daemon.sync.Backoff;
import dev.speckitty.daemon.sync.SyncService;
import dev.speckitty.protocol.Version;
import dev.speckitty.protocol.local.SpecKittyHome;
import dev.speckitty.protocol.time.Scheduler;
import dev.speckitty.protocol.time.Ticker;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running daemon's parts on one home: the local engine, the sync service with its WebSocket
 * session, and the control API on the Unix socket; closed in reverse order of start. The caller
 * holds the home's {@link DaemonLock}. Thread-safe.
 */
public final class Daemon implements AutoCloseable {
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LocalEngine engine;
    private final EventLoopGroup network;
    /** The {@code sync-1} thread: every state change and sync of the service runs here. */
    private final ScheduledThreadPoolExecutor syncThread;
    private final SyncService service;
    private final ExecutorService blocking;
    private final ControlServer control;
    private final Path socket;

    private Daemon(SpecKittyHome home, Backoff backoff, SyncService.Settings settings, Runnable onShutdownRequest) {
        this.engine = LocalEngine.openForDaemon(home);
        engine.repairClock();
        this.network = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        SyncService.Settings effective = settings == null
                ? SyncService.Settings.defaults(engine.config().websocket(), engine.config().pollIntervalSeconds()) : settings;
        this.syncThread = singleThreadScheduler("sync");
        this.service = new SyncService(engine.engine(), engine.store(), engine.store(), engine.clock(), engine.tokens(),
                engine.servers()::current, engine::identityKey, Scheduler.of(syncThread), Ticker.system(), network,
                backoff, effective, Clock.systemUTC());
        this.blocking = Executors.newFixedThreadPool(4, named("control"));
        this.socket = SocketPaths.resolve(home);
        this.control = ControlServer.start(socket, new DaemonControlService(engine, service, onShutdownRequest), blocking,
                Version.current());
        service.start();
    }

    /** Starts a daemon with the configured settings and the standard backoff. */
    public static Daemon start(SpecKittyHome home, Runnable onShutdownRequest) {
        return new Daemon(home, Backoff.standard(() -> java.util.concurrent.ThreadLocalRandom.current().nextDouble()), null,
                onShutdownRequest);
    }

    /** Starts a daemon with the given backoff and settings (tests shrink the delays). */
    public static Daemon start(SpecKittyHome home, Backoff backoff, SyncService.Settings settings, Runnable onShutdownRequest) {
        return new Daemon(home, backoff, settings, onShutdownRequest);
    }

    public LocalEngine engine() {
        return engine;
    }

    public SyncService service() {
        return service;
    }

    public Path socket() {
        return socket;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        control.close();
        service.close();
        stop(syncThread, 10); // a sync in progress finishes (its events leave the queue only once applied)
        network.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        blocking.shutdownNow();
        engine.close();
    }

    /**
     * One thread named {@code name-1} for a scheduler: cancelled timers leave its queue at once, and a
     * shutdown drops the delayed ones (a backoff's next attempt) but runs those already due.
     */
    static ScheduledThreadPoolExecutor singleThreadScheduler(String name) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, named(name));
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return executor;
    }

    /** Shuts {@code executor} down, waiting up to {@code seconds} for the task it runs, then interrupting it. */
    static void stop(ScheduledThreadPoolExecutor executor, long seconds) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(seconds, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    static ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
