package dev.speckitty.cli.auth;

import dev.speckitty.cli.GroupCommand;
import picocli.CommandLine.Command;

/** {@code spec-kitty auth}: log in to the team server, log out, show the session. */
@Command(name = "auth",
        description = "Log in to the team server, log out, and show the current session.")
public final class AuthCommand extends GroupCommand {
}
