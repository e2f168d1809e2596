package dev.speckitty.engine.net;

import java.time.Duration;
import java.util.Optional;

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
        /** 413: the request body is larger than the server (or a proxy before it) takes: send less. */
        REQUEST_TOO_LARGE,
        /** A 200 answer larger than the client reads ({@link ServerClient#MAX_ANSWER_BYTES}): ask for less. */
        ANSWER_TOO_LARGE,
        /** 5xx, 429, or an answer that is not what the contract says (truncated, malformed). */
        SERVER_ERROR
    }

    private final Kind kind;
    private final int status;
    private final boolean mayHaveArrived;
    private final Duration retryAfter;

    public ServerCallException(Kind kind, int status, boolean mayHaveArrived, String message, Throwable cause) {
        this(kind, status, mayHaveArrived, message, cause, null);
    }

    public ServerCallException(Kind kind, int status, boolean mayHaveArrived, String message, Throwable cause, Duration retryAfter) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.mayHaveArrived = mayHaveArrived;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, or 0 when no answer arrived. */
    public int status() {
        return status;
    }

    /** The server refused the credentials (401 or 403): a verdict on the login, not on the link. */
    public boolean refusedCredentials() {
        return kind == Kind.UNAUTHORIZED || kind == Kind.FORBIDDEN;
    }

    public boolean mayHaveArrived() {
        return mayHaveArrived;
    }

    /** How long the server asked us to wait ({@code Retry-After} on a 429 or 503), as sent. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
