package dev.speckitty.cli.events;

import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.CliException;
import dev.speckitty.cli.Settings;
import dev.speckitty.engine.store.QueueStore;
import dev.speckitty.engine.store.Scope;
import dev.speckitty.protocol.control.WaitingEvents;
import dev.speckitty.protocol.local.ServerUrl;
import java.util.List;
import java.util.Optional;

/** The groups of waiting events a {@code --team T [--server URL]} names. Stateless. */
final class WaitingSelection {
    private WaitingSelection() {
    }

    static List<WaitingEvents> of(CliContext ctx, QueueStore store, String team, String server) {
        if (team == null || team.isBlank()) {
            throw CliException.usage("--team: missing (expected: the team the waiting events were recorded for, as `spec-kitty sync status` shows it)");
        }
        Optional<String> normalised = server == null ? Optional.empty() : Optional.of(ServerUrl.normalise(server).orElseThrow(
                () -> CliException.usage("--server: '" + server + "' is not a server URL (expected: as `spec-kitty sync status` shows it)")));
        Optional<Scope> current = Settings.currentScope(ctx);
        return store.waiting(current).stream()
                .filter(w -> w.team().equals(team) && (normalised.isEmpty() || normalised.get().equals(w.server())))
                .toList();
    }

    /** {@link #of}, saying so when none wait (the command then changes nothing). */
    static List<WaitingEvents> chosen(CliContext ctx, QueueStore store, String team, String server) {
        List<WaitingEvents> groups = of(ctx, store, team, server);
        if (groups.isEmpty()) {
            ctx.out().println("No queued events wait for team " + team + (server == null ? "" : " on " + server) + "; nothing was changed.");
        }
        return groups;
    }

    /** The scope a group of waiting events was recorded for. */
    static Scope scope(WaitingEvents w) {
        return new Scope(w.server(), w.team());
    }

    static long total(List<WaitingEvents> groups) {
        long n = 0;
        for (WaitingEvents w : groups) {
            n += w.count();
        }
        return n;
    }

    static String describe(List<WaitingEvents> groups) {
        StringBuilder b = new StringBuilder();
        for (WaitingEvents w : groups) {
            b.append(b.length() == 0 ? "" : ", ").append(w.count()).append(" for ").append(scope(w).describe());
        }
        return b.toString();
    }
}
