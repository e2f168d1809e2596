package dev.speckitty.daemon;

/** Another daemon holds {@code daemon.lock} for this home. */
public final class AlreadyRunningException extends RuntimeException {
    private final long pid;

    public AlreadyRunningException(long pid) {
        super("already running (pid " + (pid > 0 ? Long.toString(pid) : "unknown") + ")");
        this.pid = pid;
    }

    /** The running daemon's process id, or -1 when its lock file does not say. */
    public long pid() {
        return pid;
    }
}
