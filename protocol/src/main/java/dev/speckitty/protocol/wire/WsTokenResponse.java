package dev.speckitty.protocol.wire;

/** A short-lived token that authenticates one WebSocket connection; {@code expiresIn} in seconds. */
public record WsTokenResponse(String wsToken, long expiresIn) {
    @Override
    public String toString() {
        return "WsTokenResponse[ws_token=<redacted>, expires_in=" + expiresIn + "]";
    }
}
