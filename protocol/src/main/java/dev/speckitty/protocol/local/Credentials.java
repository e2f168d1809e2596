package dev.speckitty.protocol.local;

import java.time.Instant;

/**
 * The contents of the {@code credentials} file. {@link #toString()} never prints the tokens, so a
 * credentials object can go into a log line or an exception message safely.
 */
public record Credentials(
        String accessToken,
        String refreshToken,
        Instant accessExpiresAt,
        Instant refreshExpiresAt,
        String username,
        String teamSlug,
        String serverUrl) {

    /** The team slug of events from a home without a team: logged out, or a login that named none. */
    public static final String NO_TEAM = "local";

    /** Whether the access token is still valid at {@code now}, with {@code marginSeconds} to spare. */
    public boolean accessValidAt(Instant now, long marginSeconds) {
        return now.plusSeconds(marginSeconds).isBefore(accessExpiresAt);
    }

    /** Whether the refresh token is still valid at {@code now}. */
    public boolean refreshValidAt(Instant now) {
        return now.isBefore(refreshExpiresAt);
    }

    @Override
    public String toString() {
        return "Credentials[user=" + username + ", team=" + teamSlug + ", server=" + serverUrl
                + ", access_expires_at=" + accessExpiresAt + ", refresh_expires_at=" + refreshExpiresAt + ", tokens=<redacted>]";
    }
}
