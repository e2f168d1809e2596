package dev.speckitty.protocol.wire;

/**
 * The answer of {@code POST /oauth/token} (RFC 6749 §5.1, with the members spec-kitty 3.x reads):
 * lifetimes in seconds, {@code refreshTokenExpiresAt} ISO-8601 UTC.
 */
public record OAuthTokens(String accessToken, String tokenType, long expiresIn, String refreshToken, long refreshTokenExpiresIn,
        String refreshTokenExpiresAt, String scope, String sessionId) {
    @Override
    public String toString() {
        return "OAuthTokens[access_token=<redacted>, refresh_token=<redacted>, expires_in=" + expiresIn
                + ", refresh_token_expires_at=" + refreshTokenExpiresAt + ", session_id=" + sessionId + "]";
    }
}
