package dev.speckitty.protocol.json;

/** JSON text that could not be read or a value that could not be written. */
public final class JsonException extends RuntimeException {
    public JsonException(String message, Throwable cause) {
        super(message, cause);
    }
}
