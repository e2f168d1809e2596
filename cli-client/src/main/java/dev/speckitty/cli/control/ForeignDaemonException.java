package dev.speckitty.cli.control;

import java.nio.file.Path;

/**
 * The control socket is served by another user's process: nothing is sent to it, and the command
 * goes on as if no daemon ran (events go to the local queue).
 */
public final class ForeignDaemonException extends DaemonNotRunningException {
    public ForeignDaemonException(Path socket, String peer, String self) {
        super("the control socket " + socket + " is served by user " + peer + ", not by you (" + self + "): nothing was sent to it;"
                + " events go to the local queue instead. Remove its directory (`sudo rm -rf " + socket.toAbsolutePath().getParent()
                + "`), or set XDG_RUNTIME_DIR or a shorter SPEC_KITTY_HOME, then run `spec-kitty daemon start`");
    }
}
