package dev.speckitty.daemon;

import dev.speckitty.daemon.control.ControlServer;
import dev.speckitty.daemon.control.SocketPaths;
import dev.speckitty.daemon.engine.LocalEngine;
import dev.speckitty.daemon.sync.Backoff;
import dev.speckitty.daemon.sync.SyncService;
import dev.speckitty.protocol.Version;
import dev.speckitty.protocol.local.SpecKittyHome;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon process: one per home (daemon.lock), the sync service, and the control API on the
 * Unix socket, until SIGTERM or {@code POST /v1/shutdown}. Stopping abandons an in-flight batch
 * safely: its events leave the queue only when their results are applied.
 */
public final class DaemonMain {
    private DaemonMain() {
    }

    public static void main(String[] args) {
        System.exit(run(SpecKittyHome.fromEnvironment()));
    }

    /** Runs the daemon in this thread until it is stopped; answers the exit status. */
    public static int run(SpecKittyHome home) {
        DaemonLock lock;
        try {
            lock = DaemonLock.acquire(home);
        } catch (AlreadyRunningException e) {
            System.err.println("spec-kitty daemon: " + e.getMessage() + " for " + home.root());
            return 1;
        }
        System.setProperty("spec-kitty.logs", home.logs().toString());
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "spec-kitty-daemon-logback.xml");
        }
        Logger log = LoggerFactory.getLogger(DaemonMain.class);
        try (lock) {
            return new Running(home, log).awaitStop();
        } catch (RuntimeException e) {
            log.error("the daemon failed to start", e);
            System.err.println("spec-kitty daemon: cannot start: " + e.getMessage());
            return 1;
        }
    }

    /** The parts of a running daemon, closed in reverse order of start. Owned by the main thread. */
    private static final class Running {
        private final Logger log;
        private final CountDownLatch stop = new CountDownLatch(1);
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final LocalEngine engine;
        private final EventLoopGroup network;
        private final SyncService service;
        private final ExecutorService blocking;
        private final ControlServer control;
        private final Path socket;

        Running(SpecKittyHome home, Logger log) {
            this.log = log;
            this.engine = LocalEngine.open(home);
            this.network = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(named("sync"));
            this.service = new SyncService(engine.engine(), engine.store(), engine.store(), engine.clock(), engine.tokens(),
                    engine.servers()::current, scheduler, network,
                    Backoff.standard(() -> ThreadLocalRandom.current().nextDouble()),
                    SyncService.Settings.defaults(engine.config().websocket(), engine.config().pollIntervalSeconds()),
                    Clock.systemUTC());
            this.blocking = Executors.newFixedThreadPool(4, named("control"));
            this.socket = SocketPaths.resolve(home);
            this.control = ControlServer.start(socket, new DaemonControlService(engine, service, stop::countDown), blocking,
                    Version.current());
            service.start();
            onTerminate(stop::countDown);
            Runtime.getRuntime().addShutdownHook(new Thread(this::close, "shutdown"));
            log.info("spec-kitty daemon {} started (pid {}), home {}, control socket {}", Version.current(),
                    ProcessHandle.current().pid(), home.root(), socket);
            System.out.println("spec-kitty daemon " + Version.current() + " running (pid " + ProcessHandle.current().pid()
                    + "); control socket " + socket);
        }

        int awaitStop() {
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            close();
            return 0;
        }

        private void close() {
            if (!stopped.compareAndSet(false, true)) {
                return;
            }
            log.info("stopping");
            stop.countDown();
            control.close();
            service.close();
            network.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
            blocking.shutdownNow();
            engine.close();
            log.info("stopped");
        }

        /** SIGTERM and SIGINT stop the daemon through the main thread, so it closes in order and exits 0. */
        private static void onTerminate(Runnable stop) {
            for (String name : new String[] {"TERM", "INT"}) {
                try {
                    sun.misc.Signal.handle(new sun.misc.Signal(name), s -> stop.run());
                } catch (IllegalArgumentException | UnsupportedOperationException e) {
                    // Not available here: the shutdown hook still closes everything (exit status 143).
                }
            }
        }

        private static java.util.concurrent.ThreadFactory named(String name) {
            AtomicInteger n = new AtomicInteger();
            return r -> {
                Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
        }
    }
}
