package dev.speckitty.cli.control;

import java.nio.file.Path;

/** No daemon answers on the control socket: the file is missing or nobody accepts on it (a stale socket). */
public class DaemonNotRunningException extends RuntimeException {
    public DaemonNotRunningException(Path socket, String reason) {
        super("the daemon is not running (" + socket + ": " + reason + "); start it with `spec-kitty daemon start`");
    }

    /** For a subclass with its own message. */
    protected DaemonNotRunningException(String message) {
        super(message);
    }
}
