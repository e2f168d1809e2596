package dev.speckitty.cli.control;

/**
 * The daemon answered, but not as the control API promises (garbled HTTP, cut-off body, timeout),
 * or talking to it failed half-way. Distinct from {@link DaemonNotRunningException}: here the request
 * may have reached the daemon.
 */
public final class ControlApiException extends RuntimeException {
    public ControlApiException(String message) {
        super(message);
    }

    public ControlApiException(String message, Throwable cause) {
        super(message, cause);
    }
}
