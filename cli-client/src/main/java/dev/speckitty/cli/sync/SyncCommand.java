package dev.speckitty.cli.sync;

import picocli.CommandLine.Command;

/** {@code spec-kitty sync}: push and pull events, and show the sync state. */
@Command(name = "sync",
        description = "Synchronize local events with the team server.",
        subcommands = {SyncNowCommand.class, SyncStatusCommand.class})
public final class SyncCommand {
}
