package dev.speckitty.cli.events;

import dev.speckitty.cli.CliCommand;
import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.CliException;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.cli.Settings;
import dev.speckitty.engine.store.QueueStore;
import dev.speckitty.engine.store.Scope;
import dev.speckitty.protocol.control.WaitingEvents;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spec-kitty events move}: queued events recorded for another team or server go as the current login instead. */
@Command(name = "move",
        description = {
                "Send the queued events recorded for another team or server as the current login.",
                "Events wait for the team and server they were recorded for (see `spec-kitty sync status`);"
                        + " this rewrites their team_slug to the current team and sends them with the next sync.",
                "Asks for confirmation on a terminal; pass --yes otherwise."})
public final class EventsMoveCommand extends CliCommand {
    @Option(names = "--team", required = true, paramLabel = "TEAM", description = "The team the waiting events were recorded for.")
    String team;

    @Option(names = "--server", paramLabel = "URL", description = "Only those recorded for this server (default: any).")
    String server;

    @Option(names = "--yes", description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    public Integer call() {
        CliContext ctx = ctx();
        Scope to = Settings.currentScope(ctx).orElseThrow(() -> new CliException(ExitCodes.AUTH_REQUIRED,
                "no current login for the configured server to move events to; run `spec-kitty auth login` first"));
        try (QueueStore store = QueueStore.open(ctx.home().queueDb(), QueueStore.StoreOptions.defaults())) {
            List<WaitingEvents> groups = WaitingSelection.chosen(ctx, store, team, server);
            if (groups.isEmpty()) {
                return ExitCodes.OK;
            }
            long n = WaitingSelection.total(groups);
            if (!Confirm.ask(ctx, yes, "Send " + n + (n == 1 ? " event" : " events") + " recorded " + WaitingSelection.describe(groups)
                    + " as team " + to.team() + " on " + to.server())) {
                return ExitCodes.FAILURE;
            }
            int moved = 0;
            for (WaitingEvents w : groups) {
                moved += store.moveWaiting(WaitingSelection.scope(w), to);
            }
            ctx.out().println("Moved " + moved + (moved == 1 ? " event" : " events") + " to team " + to.team() + " on " + to.server()
                    + "; they go with the next sync (`spec-kitty sync now`)");
            return ExitCodes.OK;
        }
    }
}
