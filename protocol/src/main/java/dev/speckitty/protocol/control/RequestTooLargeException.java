package dev.speckitty.protocol.control;

/** A control request past a bound no request may pass (its events, values, nesting or size): refused 413, whatever else the daemon is doing. */
public final class RequestTooLargeException extends IllegalArgumentException {
    public RequestTooLargeException(String message) {
        super(message);
    }
}
