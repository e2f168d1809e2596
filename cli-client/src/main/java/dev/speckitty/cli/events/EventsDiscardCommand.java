package dev.speckitty.cli.events;

import dev.speckitty.cli.backend.SyncBackend;
import dev.speckitty.cli.CliCommand;
import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.CliException;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.engine.store.QueueStore;
import dev.speckitty.protocol.control.WaitingEvents;
import dev.speckitty.protocol.control.ParkedAction;
import dev.speckitty.protocol.event.Ulid;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spec-kitty events discard}: drop parked events, or the queued events waiting for another login, for good. */
@Command(name = "discard",
        description = {
                "Drop events for good: parked ones (ID…|--all), or with --waiting --team T [--server URL] the queued events"
                        + " recorded for another team or server than the current login.",
                "Asks for confirmation on a terminal; pass --yes otherwise."})
public final class EventsDiscardCommand extends CliCommand {
    /** Ids one request may name; more is almost surely a mistake (use --all). */
    static final int MAX_IDS = 1000;

    @Parameters(paramLabel = "ID", arity = "0..*", description = "Parked event ids, as `spec-kitty events parked` lists them.")
    List<String> ids;

    @Option(names = "--all", description = "Every parked event.")
    boolean all;

    @Option(names = "--waiting", description = "Queued events waiting for another team or server (with --team, optionally --server).")
    boolean waiting;

    @Option(names = "--team", paramLabel = "TEAM", description = "With --waiting: the team they were recorded for.")
    String team;

    @Option(names = "--server", paramLabel = "URL", description = "With --waiting: only those recorded for this server (default: any).")
    String server;

    @Option(names = "--yes", description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    public Integer call() {
        CliContext ctx = ctx();
        if (waiting) {
            return discardWaiting(ctx);
        }
        if (team != null || server != null) {
            throw CliException.usage("--team and --server go with --waiting");
        }
        ParkedAction action = action(ids, all);
        String what = all ? "Discard every parked event for good" : "Discard " + action.eventIds().size() + " parked "
                + (action.eventIds().size() == 1 ? "event" : "events") + " for good";
        if (!Confirm.ask(ctx, yes, what)) {
            return ExitCodes.FAILURE;
        }
        int n;
        try (SyncBackend backend = backend(null)) {
            n = backend.discardParked(action);
        }
        if (n == 0 && !all) {
            throw CliException.failure("no parked event has the id " + String.join(", ", action.eventIds())
                    + "; `spec-kitty events parked` lists them");
        }
        ctx.out().println("Discarded " + n + (n == 1 ? " parked event" : " parked events"));
        return ExitCodes.OK;
    }

    private int discardWaiting(CliContext ctx) {
        if (all || (ids != null && !ids.isEmpty())) {
            throw CliException.usage("--waiting takes --team T [--server URL], not ids or --all");
        }
        try (QueueStore store = QueueStore.open(ctx.home().queueDb(), QueueStore.StoreOptions.defaults())) {
            List<WaitingEvents> groups = WaitingSelection.chosen(ctx, store, team, server);
            if (groups.isEmpty()) {
                return ExitCodes.OK;
            }
            long n = WaitingSelection.total(groups);
            if (!Confirm.ask(ctx, yes, "Discard " + n + (n == 1 ? " queued event" : " queued events") + " recorded "
                    + WaitingSelection.describe(groups) + " for good (never sent)")) {
                return ExitCodes.FAILURE;
            }
            int discarded = 0;
            for (WaitingEvents w : groups) {
                discarded += store.discardWaiting(WaitingSelection.scope(w));
            }
            ctx.out().println("Discarded " + discarded + (discarded == 1 ? " queued event" : " queued events"));
            return ExitCodes.OK;
        }
    }

    /** The ids or --all, checked: each a ULID, at most {@link #MAX_IDS}, not both. */
    static ParkedAction action(List<String> ids, boolean all) {
        List<String> given = ids == null ? List.of() : ids;
        if (all == !given.isEmpty()) {
            throw CliException.usage(all ? "give event ids or --all, not both" : "name the parked events: ID… or --all");
        }
        if (given.size() > MAX_IDS) {
            throw CliException.usage("ids: " + given.size() + " (expected: at most " + MAX_IDS + "; use --all for every parked event)");
        }
        for (String id : given) {
            if (!Ulid.isValid(id)) {
                throw CliException.usage("'" + id + "' is not an event id (expected: a 26-character ULID, as `spec-kitty events parked` lists it)");
            }
        }
        return new ParkedAction(given, all);
    }
}
