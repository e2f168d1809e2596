package dev.speckitty.engine.sync;

/** No server URL is configured: events only queue locally until one is set. */
public final class NotConfiguredException extends RuntimeException {
    public NotConfiguredException(String message) {
        super(message);
    }
}
