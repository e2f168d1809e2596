package dev.speckitty.protocol.wire;

/** {@code POST /api/v1/token/} body. */
public record TokenRequest(String username, String password) {
    @Override
    public String toString() {
        return "TokenRequest[username=" + username + ", password=<redacted>]";
    }
}
