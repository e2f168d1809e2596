package dev.speckitty.cli.auth;

import dev.speckitty.cli.CliCommand;
import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.protocol.local.CredentialsStore;
import picocli.CommandLine.Command;

/** {@code spec-kitty auth logout}: removes the stored tokens; queued events stay and sync after the next login. */
@Command(name = "logout", description = "Remove the stored tokens. Queued events stay queued and sync after the next login.")
public final class AuthLogoutCommand extends CliCommand {
    @Override
    public Integer call() {
        CliContext ctx = ctx();
        CredentialsStore store = CredentialsStore.of(ctx.home());
        // Not logged in: say so without touching the home (the delete below takes credentials.lock).
        if (!java.nio.file.Files.exists(store.file())) {
            ctx.out().println("Not logged in; nothing to remove");
            return ExitCodes.OK;
        }
        if (store.delete()) {
            ctx.out().println("Logged out (removed " + store.file() + ")");
        } else {
            ctx.out().println("Not logged in; nothing to remove");
        }
        return ExitCodes.OK;
    }
}
