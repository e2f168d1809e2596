package dev.speckitty.cli.daemon;

import dev.speckitty.cli.CliCommand;
import dev.speckitty.daemon.DaemonMain;
import picocli.CommandLine.Command;

/** {@code spec-kitty daemon run}: the daemon in the foreground (what systemd and launchd start). */
@Command(name = "run", description = {
        "Run the daemon in the foreground until SIGTERM or `spec-kitty daemon stop` (what systemd/launchd start).",
        "A second daemon on the same SPEC_KITTY_HOME exits at once.",
        "Exits 1 when it cannot start, or when its home (daemon.lock, the control socket or queue.db) is deleted or replaced while it runs."})
public final class DaemonRunCommand extends CliCommand {
    @Override
    public Integer call() {
        return DaemonMain.run(ctx().home());
    }
}
