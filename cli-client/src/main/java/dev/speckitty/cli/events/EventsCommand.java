package dev.speckitty.cli.events;

import dev.speckitty.cli.GroupCommand;
import picocli.CommandLine.Command;

/** {@code spec-kitty events}: record events, import them in bulk, and list the local ones. */
@Command(name = "events",
        description = "Record work events, import them in bulk, and list local and pulled events.")
public final class EventsCommand extends GroupCommand {
}
