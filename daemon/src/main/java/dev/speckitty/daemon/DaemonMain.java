package dev.speckitty.daemon;

import dev.speckitty.protocol.Version;
import dev.speckitty.protocol.local.SpecKittyHome;
import dev.speckitty.protocol.time.Scheduler;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon process: one per home ({@code daemon.lock}) until SIGTERM, SIGINT,
 * {@code POST /v1/shutdown} or its home taken away ({@link HomeWatch}; exit status 1 then).
 * Stopping abandons an in-flight batch safely: its events leave the queue only when their results
 * are applied.
 */
public final class DaemonMain {
    private DaemonMain() {
    }

    public static void main(String[] args) {
        System.exit(run(SpecKittyHome.fromEnvironment()));
    }

    /** Runs the daemon in this thread until it is stopped; answers the exit status. */
    public static int run(SpecKittyHome home) {
        // First, so that what others could read is reported before anything else makes it private
        // (the lock makes the home 0700) or writes into it (logback opens logs/daemon.log).
        List<String> repaired = HomeModes.repair(home);
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
        for (String line : repaired) {
            log.warn("file modes: {} (the home's files are 0600 and its directories 0700)", line);
        }
        CountDownLatch stop = new CountDownLatch(1);
        AtomicReference<Path> taken = new AtomicReference<>();
        onTerminate(stop::countDown);
        ScheduledThreadPoolExecutor watchThread = Daemon.singleThreadScheduler("home-watch");
        try (lock; Daemon daemon = Daemon.start(home, stop::countDown);
             HomeWatch watch = HomeWatch.start(List.of(lock.file(), daemon.socket(), home.queueDb()), HomeWatch.interval(),
                     Scheduler.of(watchThread), file -> {
                         taken.set(file);
                         stop.countDown();
                     })) {
            // A kill without a handled signal still closes in order (exit status 143 then).
            Thread hook = new Thread(daemon::close, "shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            long pid = ProcessHandle.current().pid();
            log.info("spec-kitty daemon {} started (pid {}), home {}, control socket {}", Version.current(), pid, home.root(), daemon.socket());
            System.out.println("spec-kitty daemon " + Version.current() + " running (pid " + pid + "); control socket " + daemon.socket());
            // Under a Type=notify unit: `systemctl --user start` returns now that the socket answers,
            // and a sync loop that stops beating is restarted by systemd's watchdog.
            Optional<SystemdNotify> systemd = SystemdNotify.fromEnvironment(System.getenv());
            systemd.ifPresent(n -> n.send("READY=1\nSTATUS=syncing " + home.root() + "\nMAINPID=" + pid));
            ScheduledExecutorService watchdog = systemd.flatMap(n -> SystemdNotify.watchdogInterval(System.getenv(), pid)
                    .map(every -> startWatchdog(n, daemon, every))).orElse(null);
            stop.await();
            systemd.ifPresent(n -> n.send("STOPPING=1"));
            if (watchdog != null) {
                watchdog.shutdownNow();
            }
            // Stopped before the daemon's own shutdown removes the socket, which it must not report.
            watch.close();
            watchThread.shutdownNow();
            Path gone = taken.get();
            if (gone != null) {
                // Exit 1, so a service manager (Restart=on-failure) starts a daemon on the home as it is now.
                String why = gone + " was deleted or replaced while the daemon ran; stopping."
                        + " Start the daemon again (`spec-kitty daemon start`) to sync the home as it is now";
                log.warn(why); // also on stderr: the console appender takes warnings
            }
            log.info("stopping");
            daemon.close();
            log.info("stopped");
            return gone == null ? 0 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (RuntimeException e) {
            // The stack trace goes to daemon.log only; the terminal and the journal get the reason.
            log.info("the daemon failed", e);
            System.err.println("spec-kitty daemon: cannot start: " + e.getMessage());
            return 1;
        } finally {
            watchThread.shutdownNow();
        }
    }

    /** Sends {@code WATCHDOG=1} every {@code every} while the sync loop shows life within twice that (systemd's limit). */
    private static ScheduledExecutorService startWatchdog(SystemdNotify notify, Daemon daemon, Duration every) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Daemon.named("watchdog"));
        Duration limit = every.multipliedBy(2);
        timer.scheduleAtFixedRate(() -> {
            if (daemon.service().alive(limit)) {
                notify.send("WATCHDOG=1");
            }
        }, 0, Math.max(1, every.toMillis()), TimeUnit.MILLISECONDS);
        return timer;
    }

    /** SIGTERM and SIGINT stop the daemon through the main thread, so it closes in order and exits 0. */
    private static void onTerminate(Runnable stop) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> stop.run());
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // Not available here: the shutdown hook still closes everything.
            }
        }
    }
}
