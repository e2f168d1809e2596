package dev.speckitty.cli.control;

import java.util.OptionalInt;

/**
 * The daemon answered, but not as the control API promises (garbled HTTP, cut-off body, timeout, an
 * error status), or talking to it failed half-way. Distinct from {@link DaemonNotRunningException}:
 * here the request may have reached the daemon.
 */
public final class ControlApiException extends RuntimeException {
    /** The HTTP status of an answer that was an error; 0 when there was no proper answer. */
    private final int status;
    /** What the daemon said with that status; empty without one. */
    private final String refusal;

    public ControlApiException(String message) {
        this(message, null);
    }

    public ControlApiException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.refusal = "";
    }

    private ControlApiException(int status, String refusal, String message) {
        super(message);
        this.status = status;
        this.refusal = refusal;
    }

    /** The daemon answered {@code path} with the error {@code status}; {@code error} is what it said. */
    public static ControlApiException refused(int status, String path, String error) {
        return new ControlApiException(status, error, "the daemon answered HTTP " + status + " to " + path + " (" + error + ")");
    }

    /** The status of the daemon's error answer; empty when it gave none (a broken or garbled exchange). */
    public OptionalInt httpStatus() {
        return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }

    /** The error the daemon gave with its status; "" when it gave none. */
    public String refusal() {
        return refusal;
    }
}
