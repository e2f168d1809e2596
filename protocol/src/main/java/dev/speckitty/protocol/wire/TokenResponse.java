package dev.speckitty.protocol.wire;

/** Answer to a login or a refresh; lifetimes are in seconds. */
public record TokenResponse(String access, String refresh, long accessLifetime, long refreshLifetime, String teamSlug) {
    @Override
    public String toString() {
        return "TokenResponse[access=<redacted>, refresh=<redacted>, access_lifetime=" + accessLifetime
                + ", refresh_lifetime=" + refreshLifetime + ", team_slug=" + teamSlug + "]";
    }
}
