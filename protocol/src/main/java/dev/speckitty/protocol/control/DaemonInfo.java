package dev.speckitty.protocol.control;

/**
 * What {@code GET /v1/daemon} answers: which daemon runs (its version, process id and uptime) and the
 * state of its link to the server, with none of the queue's counts, so it costs the same at any queue
 * size. {@code daemon start}, {@code stop}, {@code restart}, {@code status} and {@code version} need
 * nothing more. Every field has the name and meaning of {@link StatusResponse}'s, which also counts
 * the queue (over a second at 1,000,000 events).
 */
public record DaemonInfo(String version, long pid, long uptimeS, String serverUrl, ConnectionState connection, String lastError,
                         String nextRetryAt, String serverVersion, boolean live, long pollIntervalS) {
    /** The same fields of a status: what a daemon older than {@code /v1/daemon} tells. */
    public static DaemonInfo of(StatusResponse s) {
        return new DaemonInfo(s.version(), s.pid(), s.uptimeS(), s.serverUrl(), s.connection(), s.lastError(), s.nextRetryAt(),
                s.serverVersion(), s.live(), s.pollIntervalS());
    }
}
