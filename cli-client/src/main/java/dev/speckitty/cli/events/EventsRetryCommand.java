package dev.speckitty.cli.events;

import dev.speckitty.cli.backend.SyncBackend;
import dev.speckitty.cli.CliCommand;
import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.CliException;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.protocol.control.ParkedAction;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spec-kitty events retry}: parked events go back to their place in the queue. */
@Command(name = "retry",
        description = "Put parked events back in the queue (at their old place, with no rejections counted); they go with the next sync.")
public final class EventsRetryCommand extends CliCommand {
    @Parameters(paramLabel = "ID", arity = "0..*", description = "The event ids, as `spec-kitty events parked` lists them.")
    List<String> ids;

    @Option(names = "--all", description = "Every parked event.")
    boolean all;

    @Override
    public Integer call() {
        CliContext ctx = ctx();
        ParkedAction action = EventsDiscardCommand.action(ids, all);
        int n;
        try (SyncBackend backend = backend(null)) {
            n = backend.retryParked(action);
        }
        if (n == 0 && !all) {
            throw CliException.failure("no parked event has the id " + String.join(", ", action.eventIds())
                    + "; `spec-kitty events parked` lists them");
        }
        ctx.out().println("Put " + n + (n == 1 ? " event" : " events") + " back in the queue; they go with the next sync (`spec-kitty sync now`)");
        return ExitCodes.OK;
    }
}
