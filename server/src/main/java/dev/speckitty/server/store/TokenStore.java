package dev.speckitty.server.store;

import java.time.Duration;
import java.util.Optional;

/**
 * Bearer tokens: 32 random bytes, base64url, stored only as their SHA-256 hash with kind, account and
 * expiry. Thread-safe; reads the database on every call.
 */
public interface TokenStore {
    /** Issues a new token of {@code kind} for an existing account; returns the token text (shown once). */
    String issue(String username, TokenKind kind, Duration ttl);

    /** What is known about a token, whatever its state; empty when it was never issued. */
    Optional<TokenInfo> find(String token);

    /**
     * Atomically revokes a token of {@code kind} that is live (not revoked, not expired, account still
     * there) and returns its account; empty when there is no such token. Used for single-use ws tokens
     * and for refresh rotation.
     */
    Optional<User> consume(String token, TokenKind kind);

    /**
     * Rotates a live refresh token: returns its account and shortens its life to {@code grace} instead
     * of revoking it, so a client whose answer to the refresh was lost can present it again and is not
     * logged out by one dropped packet. Empty when the token is not a live refresh token.
     */
    Optional<User> rotate(String refreshToken, Duration grace);
}
