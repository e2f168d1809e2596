package dev.speckitty.cli.auth;

import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.Settings;
import dev.speckitty.cli.backend.InProcessBackend;
import dev.speckitty.engine.store.Scope;
import dev.speckitty.protocol.control.WaitingEvents;
import java.util.List;
import java.util.Optional;

/** After a login: says which queued events belong to another team or server and what happens to them. Stateless. */
final class WaitingWarning {
    private WaitingWarning() {
    }

    static void afterLogin(CliContext ctx) {
        Optional<Scope> current = Settings.currentScope(ctx);
        List<WaitingEvents> waiting;
        try {
            waiting = InProcessBackend.waiting(ctx, current);
        } catch (RuntimeException e) {
            return; // a damaged queue is reported by `sync status`; the login itself succeeded
        }
        for (WaitingEvents w : waiting) {
            String flags = "--team " + w.team() + (w.server().isEmpty() ? "" : " --server " + w.server());
            ctx.err().println("warning: " + w.describe() + ": they are not sent as " + current.map(Scope::describe).orElse("this login")
                    + "; they stay queued and go when " + new Scope(w.server(), w.team()).describe() + " is logged in again."
                    + " To send them as this login: `spec-kitty events move " + flags + "`;"
                    + " to drop them: `spec-kitty events discard --waiting " + flags + "`");
        }
    }
}
