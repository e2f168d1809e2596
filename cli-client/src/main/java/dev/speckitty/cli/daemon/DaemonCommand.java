package dev.speckitty.cli.daemon;

import dev.speckitty.cli.service.ServiceCommands;
import picocli.CommandLine.Command;

/** {@code spec-kitty daemon}: start, stop and inspect the background sync daemon. */
@Command(name = "daemon",
        description = "Run and manage the background sync daemon (one per SPEC_KITTY_HOME).",
        subcommands = {
                DaemonStartCommand.class,
                DaemonStopCommand.class,
                DaemonRestartCommand.class,
                DaemonStatusCommand.class,
                DaemonRunCommand.class,
                DaemonLogsCommand.class,
                ServiceCommands.Install.class,
                ServiceCommands.Uninstall.class})
public final class DaemonCommand {
}
