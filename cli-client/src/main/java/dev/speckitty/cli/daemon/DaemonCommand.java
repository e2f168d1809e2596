package dev.speckitty.cli.daemon;

import dev.speckitty.cli.GroupCommand;
import picocli.CommandLine.Command;

/** {@code spec-kitty daemon}: start, stop and inspect the background sync daemon. */
@Command(name = "daemon",
        description = "Run and manage the background sync daemon (one per SPEC_KITTY_HOME).")
public final class DaemonCommand extends GroupCommand {
}
