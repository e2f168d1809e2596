package dev.speckitty.engine.sync;

/** The server refused our credentials and refreshing did not help: the user must run {@code spec-kitty auth login}. */
public final class AuthRequiredException extends RuntimeException {
    public AuthRequiredException(String message) {
        super(message + "; events keep queueing. Run `spec-kitty auth login`");
    }
}
