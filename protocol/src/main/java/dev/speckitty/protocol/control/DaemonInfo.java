package dev.speckitty.protocol.control;

/**
 * What {@code GET /v1/daemon} answers: which daemon runs (its version, process id and uptime), with
 * none of the queue's counts, so it costs the same at any queue size. {@code daemon start}, {@code stop}
 * and {@code restart} need nothing more; the same three fields head {@link StatusResponse}, which
 * counts the queue (over a second at 1,000,000 events).
 */
public record DaemonInfo(String version, long pid, long uptimeS) {
    /** The daemon part of a status: what a daemon older than {@code /v1/daemon} tells. */
    public static DaemonInfo of(StatusResponse status) {
        return new DaemonInfo(status.version(), status.pid(), status.uptimeS());
    }
}
