package dev.speckitty.cli.events;

import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.CliException;
import java.util.Locale;

/** Asks before a change that cannot be undone: on a terminal a y/N question, elsewhere only {@code --yes} goes on. Stateless. */
final class Confirm {
    private Confirm() {
    }

    /** True to go on; false when the person at the terminal said no. Without a terminal and {@code --yes}, a usage error. */
    static boolean ask(CliContext ctx, boolean yes, String what) {
        if (yes) {
            return true;
        }
        if (ctx.console().isEmpty()) {
            throw CliException.usage(what + ": pass --yes to confirm (no terminal to ask on); nothing was changed");
        }
        String answer = ctx.console().get().readLine("%s? [y/N] ", what);
        boolean go = answer != null && answer.trim().toLowerCase(Locale.ROOT).startsWith("y");
        if (!go) {
            ctx.out().println("Nothing was changed.");
        }
        return go;
    }
}
