package dev.speckitty.cli.daemon;

import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.CliException;
import dev.speckitty.cli.backend.DaemonClient;
import dev.speckitty.cli.control.ControlApiException;
import dev.speckitty.cli.control.DaemonNotRunningException;
import dev.speckitty.protocol.control.DaemonInfo;
import dev.speckitty.protocol.local.FilePermissions;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Starts a detached daemon process and stops a running one, waiting (with a deadline) until the
 * control socket answers or the process is gone. Used by one command at a time.
 */
final class DaemonControl {
    static final Duration START_DEADLINE = Duration.ofSeconds(15);
    static final Duration STOP_DEADLINE = Duration.ofSeconds(20);
    private static final long POLL_MILLIS = 50;

    private final CliContext ctx;
    private final DaemonClient daemon;

    DaemonControl(CliContext ctx, DaemonClient daemon) {
        this.ctx = ctx;
        this.daemon = daemon;
    }

    /**
     * Which daemon runs and its link, or empty when none answers (or it answers with an error status):
     * all that the daemon commands need, without waiting for a status's counts of a large queue.
     */
    Optional<DaemonInfo> running() {
        try {
            return Optional.of(daemon.daemonInfo());
        } catch (DaemonNotRunningException e) {
            return Optional.empty();
        } catch (ControlApiException e) {
            if (e.httpStatus().isPresent()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Spawns {@code <app-home>/bin/spec-kitty daemon run} detached and waits until it answers; returns which daemon it is. */
    DaemonInfo start() {
        Path launcher = launcher(ctx);
        Path logs = ctx.home().logs();
        Path out = logs.resolve("daemon.out");
        Process process;
        try {
            // The daemon's output may hold what its log holds: private whatever the umask (a looser
            // directory made by someone else is repaired, and reported, by the daemon).
            FilePermissions.createPrivateDirectory(logs);
            FilePermissions.createPrivateFile(out);
            FilePermissions.tighten(out);
            List<String> command = new ArrayList<>();
            Path setsid = Path.of("/usr/bin/setsid");
            if (Files.isExecutable(setsid)) {
                command.add(setsid.toString()); // own session: a Ctrl-C in this terminal must not reach the daemon
            }
            command.add(launcher.toString());
            command.add("daemon");
            command.add("run");
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(ctx.home().root().toFile().exists() ? ctx.home().root().toFile() : null)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                    .redirectErrorStream(true);
            pb.environment().put("SPEC_KITTY_HOME", ctx.home().root().toString());
            process = pb.start();
        } catch (IOException e) {
            throw CliException.failure("cannot start the daemon with " + launcher + " (" + e.getMessage() + ")");
        }
        Instant deadline = Instant.now().plus(START_DEADLINE);
        while (Instant.now().isBefore(deadline)) {
            Optional<DaemonInfo> s = runningQuietly();
            if (s.isPresent()) {
                return s.get();
            }
            if (!process.isAlive() && process.exitValue() != 0) {
                throw CliException.failure("the daemon exited at start-up with status " + process.exitValue() + ":\n"
                        + tail(out, 15) + "\n(full output in " + out + "; log in " + logs.resolve("daemon.log") + ")");
            }
            pause();
        }
        throw CliException.failure("the daemon did not answer on " + daemon.socket() + " within " + START_DEADLINE.toSeconds()
                + " s; see " + out + " and `spec-kitty daemon logs`");
    }

    /** The installation's {@code bin/spec-kitty}, which starts the daemon's own JVM for {@code daemon run}. */
    static Path launcher(CliContext ctx) {
        Path launcher = ctx.appHome().map(h -> h.resolve("bin").resolve("spec-kitty")).orElseThrow(() -> CliException.failure(
                "cannot find the spec-kitty installation to start the daemon from (-D" + CliContext.APP_HOME_PROPERTY
                        + " is not set); use the bin/spec-kitty launcher"));
        if (!Files.isExecutable(launcher)) {
            throw CliException.failure("cannot start the daemon: " + launcher + " is missing or not executable; reinstall spec-kitty");
        }
        return launcher;
    }

    /** Asks the daemon to shut down and waits until its process is gone; returns its pid. */
    long stop(DaemonInfo running) {
        try {
            daemon.shutdown();
        } catch (DaemonNotRunningException e) {
            return running.pid();
        } catch (ControlApiException e) {
            if (e.httpStatus().isPresent()) {
                throw CliException.failure("the daemon (pid " + running.pid() + ") refused to shut down: HTTP " + e.httpStatus().getAsInt()
                        + " " + e.refusal() + "; stop it with `kill " + running.pid() + "`");
            }
            // the daemon may close the connection as it goes down; the wait below tells
        }
        Instant deadline = Instant.now().plus(STOP_DEADLINE);
        BooleanSupplier gone = () -> exited(running.pid()) && !daemon.answers();
        while (Instant.now().isBefore(deadline)) {
            if (gone.getAsBoolean()) {
                return running.pid();
            }
            pause();
        }
        throw CliException.failure("the daemon (pid " + running.pid() + ") is still running " + STOP_DEADLINE.toSeconds()
                + " s after the shutdown request; see `spec-kitty daemon logs`, or stop it with `kill " + running.pid() + "`");
    }

    /**
     * Whether process {@code pid} has exited. One that exited but is not yet reaped (a zombie: its
     * parent, once the daemon is detached, is whatever reaps orphans, and a container's first process
     * may do so late or never) still counts as alive for {@link ProcessHandle#isAlive}; Linux tells
     * its state in {@code /proc/PID/stat}, after the name in parentheses.
     */
    static boolean exited(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int end = stat.lastIndexOf(')');
            char state = end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
            return state == 'Z' || state == 'X';
        } catch (IOException | RuntimeException e) {
            return false; // no /proc (macOS): isAlive said alive
        }
    }

    private Optional<DaemonInfo> runningQuietly() {
        try {
            return running();
        } catch (ControlApiException e) {
            return Optional.empty(); // starting up: the socket may exist before it serves
        }
    }

    /**
     * The end of the daemon's output, as a user should read it: without the stack frames a JVM may
     * print there ({@code at …}, {@code Caused by: …}, {@code ... 12 more}) and without Java type names.
     */
    static String tail(Path file, int lines) {
        try {
            List<String> kept = new ArrayList<>();
            for (String line : DaemonLogsCommand.lastLines(file, lines * 10)) {
                String t = line.trim();
                if (t.startsWith("at ") || t.startsWith("Caused by:") || t.matches("\\.\\.\\. \\d+ (more|common frames omitted)")
                        || t.startsWith("Suppressed:")) {
                    continue;
                }
                kept.add(dev.speckitty.protocol.Printable.clip(dev.speckitty.cli.ErrorText.clean(line), 400));
            }
            return String.join("\n", kept.subList(Math.max(0, kept.size() - lines), kept.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + dev.speckitty.cli.ErrorText.of(e) + ")";
        }
    }

    /** Polling interval while waiting for another process; the deadline bounds the whole wait. */
    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failure("interrupted while waiting for the daemon");
        }
    }
}
