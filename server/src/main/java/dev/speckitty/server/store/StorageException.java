package dev.speckitty.server.store;

/** The database failed (I/O, corruption, a lock held too long); the message names the database and the operation. */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
