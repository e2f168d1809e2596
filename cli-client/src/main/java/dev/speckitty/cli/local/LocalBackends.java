package dev.speckitty.cli.local;

import dev.speckitty.cli.CliException;
import dev.speckitty.protocol.local.SpecKittyHome;

/** Opens the in-process engine on a home. */
public final class LocalBackends {
    private LocalBackends() {
    }

    public static LocalBackend open(SpecKittyHome home) {
        throw CliException.failure("the daemon is not running and the in-process engine is not available in this build;"
                + " start the daemon with `spec-kitty daemon start`");
    }
}
