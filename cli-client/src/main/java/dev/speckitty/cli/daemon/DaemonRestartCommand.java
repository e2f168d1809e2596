package dev.speckitty.cli.daemon;

import dev.speckitty.cli.CliCommand;
import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.protocol.control.DaemonInfo;
import java.util.Optional;
import picocli.CommandLine.Command;

/** {@code spec-kitty daemon restart}: stop (if running), then start. */
@Command(name = "restart", description = "Stop the daemon if it runs, then start it again (e.g. after an upgrade or a config change).")
public final class DaemonRestartCommand extends CliCommand {
    @Override
    public Integer call() {
        CliContext ctx = ctx();
        DaemonControl daemon = new DaemonControl(ctx, daemon());
        Optional<DaemonInfo> running = daemon.running();
        if (running.isPresent()) {
            ctx.out().println("Daemon stopped (pid " + daemon.stop(running.get()) + ")");
        }
        ctx.out().println("Daemon started (pid " + daemon.start().pid() + ")");
        return ExitCodes.OK;
    }
}
