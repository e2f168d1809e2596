package dev.speckitty.server.store;

/** The access and refresh tokens of a login or a refresh, with their lifetimes in seconds. The tokens stay out of {@link #toString()}. */
public record TokenPair(String access, String refresh, long accessSeconds, long refreshSeconds) {
    @Override
    public String toString() {
        return "TokenPair[access " + accessSeconds + " s, refresh " + refreshSeconds + " s]";
    }
}
