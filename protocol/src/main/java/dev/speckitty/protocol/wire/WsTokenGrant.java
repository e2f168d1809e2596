package dev.speckitty.protocol.wire;

/**
 * The answer of {@code POST /api/v1/ws-token} (spec-kitty 3.x): a single-use ws token, the URL to
 * open with it, its lifetime in seconds, and the login session it belongs to.
 */
public record WsTokenGrant(String wsToken, String wsUrl, long expiresIn, String sessionId) {
    @Override
    public String toString() {
        return "WsTokenGrant[ws_token=<redacted>, ws_url=" + wsUrl + ", expires_in=" + expiresIn + "]";
    }
}
