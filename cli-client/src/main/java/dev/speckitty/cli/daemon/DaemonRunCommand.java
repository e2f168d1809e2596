package dev.speckitty.cli.daemon;

import dev.speckitty.cli.CliCommand;
import dev.speckitty.cli.CliException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code spec-kitty daemon run}: the daemon in the foreground (what systemd and launchd start).
 * {@code bin/spec-kitty daemon run} starts the daemon's own JVM and class path directly (the CLI's
 * holds no Netty); this command is reached only after global options ({@code --home DIR daemon run}),
 * and starts that same line for the chosen home, passing its exit status on.
 */
@Command(name = "run", description = {
        "Run the daemon in the foreground until SIGTERM or `spec-kitty daemon stop` (what systemd/launchd start).",
        "A second daemon on the same SPEC_KITTY_HOME exits at once.",
        "Exits 1 when it cannot start, or when its home (daemon.lock, the control socket or queue.db) is deleted or replaced while it runs."})
public final class DaemonRunCommand extends CliCommand {
    @Override
    public Integer call() {
        Path launcher = DaemonControl.launcher(ctx());
        ProcessBuilder pb = new ProcessBuilder(List.of(launcher.toString(), "daemon", "run")).inheritIO();
        pb.environment().put("SPEC_KITTY_HOME", ctx().home().root().toString());
        Process daemon;
        try {
            daemon = pb.start();
        } catch (IOException e) {
            throw CliException.failure("cannot start the daemon with " + launcher + " (" + e.getMessage() + ")");
        }
        // SIGTERM or Ctrl-C to this process stops the daemon the same way, and waits for it.
        Thread stop = new Thread(() -> {
            daemon.destroy();
            daemon.onExit().join();
        }, "stop-daemon");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            return daemon.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs
            }
        }
    }
}
