package dev.speckitty.cli.daemon;

import dev.speckitty.cli.CliCommand;
import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.protocol.control.DaemonInfo;
import java.util.Optional;
import picocli.CommandLine.Command;

/** {@code spec-kitty daemon start}: starts the daemon in the background and returns once it answers. */
@Command(name = "start", description = {
        "Start the daemon in the background; returns once its control socket answers (at most 15 s).",
        "Already running is not an error. Output goes to SPEC_KITTY_HOME/logs/daemon.out and logs/daemon.log."})
public final class DaemonStartCommand extends CliCommand {
    @Override
    public Integer call() {
        CliContext ctx = ctx();
        DaemonControl daemon = new DaemonControl(ctx, daemon());
        Optional<DaemonInfo> running = daemon.running();
        if (running.isPresent()) {
            ctx.out().println("Daemon already running (pid " + running.get().pid() + ")");
            return ExitCodes.OK;
        }
        DaemonInfo started = daemon.start();
        ctx.out().println("Daemon started (pid " + started.pid() + ")");
        return ExitCodes.OK;
    }
}
