package dev.speckitty.cli.sync;

import dev.speckitty.cli.GroupCommand;
import picocli.CommandLine.Command;

/** {@code spec-kitty sync}: push and pull events, and show the sync state. */
@Command(name = "sync",
        description = "Synchronize local events with the team server.")
public final class SyncCommand extends GroupCommand {
}
