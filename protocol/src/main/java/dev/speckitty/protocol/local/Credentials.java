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

    /** Whether these tokens were issued by the server at {@code serverUrl} ({@link ServerUrl#sameServer}). */
    public boolean issuedBy(String serverUrl) {
        return ServerUrl.sameServer(this.serverUrl, serverUrl);
    }

    /**
     * What to tell a user whose tokens were issued by another server than {@code configured}: they are
     * never sent there, and the next step is a login on the configured one.
     */
    public String notIssuedByMessage(String configured) {
        return "auth required for " + configured + ": the saved login (" + username + ", team " + teamSlug + ") is for "
                + serverUrl + ", and its tokens are never sent to another server; run `spec-kitty auth login` to log in to "
                + configured + " (events stay queued)";
    }

    @Override
    public String toString() {
        return "Credentials[user=" + username + ", team=" + teamSlug + ", server=" + serverUrl
                + ", access_expires_at=" + accessExpiresAt + ", refresh_expires_at=" + refreshExpiresAt + ", tokens=<redacted>]";
    }
}
