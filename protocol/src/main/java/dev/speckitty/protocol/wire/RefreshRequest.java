package dev.speckitty.protocol.wire;

/** {@code POST /api/v1/token/refresh/} body. */
public record RefreshRequest(String refresh) {
    @Override
    public String toString() {
        return "RefreshRequest[refresh=<redacted>]";
    }
}
