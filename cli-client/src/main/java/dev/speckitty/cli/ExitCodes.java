package dev.speckitty.cli;

/** The process exit codes of {@code spec-kitty}, shown in every {@code --help} footer and in docs/CLI.md. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Something failed; the message says what and what to do next. */
    public static final int FAILURE = 1;
    /** Bad arguments or input: unknown option, unknown event type, invalid --payload. */
    public static final int USAGE = 2;
    /** The team server could not be reached (refused, timed out, DNS). */
    public static final int UNREACHABLE = 3;
    /** Not logged in, or the session expired: run {@code spec-kitty auth login}. */
    public static final int AUTH_REQUIRED = 4;
    /** {@code sync now --strict}: the server rejected some events. */
    public static final int PARTIAL_SYNC = 5;
    /** The local queue is full; new events are refused. */
    public static final int QUEUE_FULL = 6;

    /** The exit-code list at the end of every help page, in order. */
    public static java.util.Map<String, String> helpList() {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put(" 0", "ok");
        m.put(" 1", "failure (the message says what to do next)");
        m.put(" 2", "usage: bad arguments or input (unknown event type, invalid payload)");
        m.put(" 3", "team server unreachable (run `spec-kitty sync status --check`)");
        m.put(" 4", "authentication required or expired (run `spec-kitty auth login`)");
        m.put(" 5", "partial sync: events rejected (only with `sync now --strict`)");
        m.put(" 6", "local queue full (run `spec-kitty sync now`, then retry)");
        return m;
    }

    private ExitCodes() {
    }
}
