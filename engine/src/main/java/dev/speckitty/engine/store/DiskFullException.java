package dev.speckitty.engine.store;

/** SQLite could not write {@code queue.db} because the disk (or its page limit) is full; nothing was changed. */
public final class DiskFullException extends IllegalStateException {
    public DiskFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
