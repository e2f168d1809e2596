package dev.speckitty.daemon.net;

/**
 * A call to the team server that failed. {@link #kind()} tells the caller what to do next, and
 * {@link #mayHaveArrived()} whether the request may have reached the server (an upload that may
 * have arrived is still safe to repeat: ingest is idempotent by event_id).
 */
public final class ServerCallException extends RuntimeException {
    /** Why a call failed, as the sync engine reacts to it. */
    public enum Kind {
        /** No connection, timeout, reset: retry with backoff. */
        UNREACHABLE,
        /** 401: refresh the token once, then "auth required". */
        UNAUTHORIZED,
        /** 403: the token is valid but may not do this. */
        FORBIDDEN,
        /** 5xx, 413, or an answer that is not what the contract says (truncated, malformed, oversized). */
        SERVER_ERROR
    }

    private final Kind kind;
    private final int status;
    private final boolean mayHaveArrived;

    public ServerCallException(Kind kind, int status, boolean mayHaveArrived, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.mayHaveArrived = mayHaveArrived;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, or 0 when no answer arrived. */
    public int status() {
        return status;
    }

    public boolean mayHaveArrived() {
        return mayHaveArrived;
    }
}
