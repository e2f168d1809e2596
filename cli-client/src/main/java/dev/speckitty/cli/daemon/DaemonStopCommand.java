package dev.speckitty.cli.daemon;

import dev.speckitty.cli.CliCommand;
import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.protocol.control.DaemonInfo;
import java.util.Optional;
import picocli.CommandLine.Command;

/** {@code spec-kitty daemon stop}: asks the daemon to shut down and waits for its process to exit. */
@Command(name = "stop", description = {
        "Stop the daemon (it finishes or safely abandons the batch in flight) and wait for it to exit.",
        "Not running is not an error. Queued events stay in the queue."})
public final class DaemonStopCommand extends CliCommand {
    @Override
    public Integer call() {
        CliContext ctx = ctx();
        DaemonControl daemon = new DaemonControl(ctx, daemon());
        Optional<DaemonInfo> running = daemon.running();
        if (running.isEmpty()) {
            ctx.out().println("Daemon is not running");
            return ExitCodes.OK;
        }
        long pid = daemon.stop(running.get());
        ctx.out().println("Daemon stopped (pid " + pid + ")");
        return ExitCodes.OK;
    }
}
