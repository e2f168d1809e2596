package dev.speckitty.cli.control;

import dev.speckitty.protocol.Version;
import java.io.PrintStream;
import java.util.Optional;

/**
 * Warns, once per CLI process, when the daemon runs another version: they still talk (the control
 * API is versioned by path), but a restart picks up the new daemon. Thread-safe.
 */
public final class VersionCheck {
    private final String cliVersion;
    private final PrintStream err;
    private boolean warned;

    public VersionCheck(String cliVersion, PrintStream err) {
        this.cliVersion = cliVersion;
        this.err = err;
    }

    public static VersionCheck current(PrintStream err) {
        return new VersionCheck(Version.current(), err);
    }

    /** Looks at one response's version header. */
    public synchronized void check(Optional<String> daemonVersion) {
        if (warned) {
            return;
        }
        String theirs = daemonVersion.orElse("unknown");
        if (!theirs.equals(cliVersion)) {
            warned = true;
            err.println("warning: the daemon runs spec-kitty " + theirs + " but this CLI is " + cliVersion
                    + "; run `spec-kitty daemon restart` so both run the same version");
        }
    }
}
