package dev.speckitty.server.store;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * Bearer tokens: 32 random bytes, base64url, stored only as their SHA-256 hash with kind, account,
 * expiry and family. A family is one login and every token issued from it (refresh rotations, ws
 * tokens); revoking it ends them all, and the WebSocket sessions opened with them. Thread-safe; reads
 * the database on every call.
 */
public interface TokenStore {
    /**
     * How long a rotated refresh token still gets an answer: the same successor pair, so a client whose
     * answer to a refresh was lost is not logged out by one dropped packet. Long enough for a retry,
     * short for a thief; after it, the token's reuse revokes its family.
     */
    Duration REFRESH_GRACE = Duration.ofSeconds(60);

    /** A new login of an existing account: a new family with its first access and refresh tokens. */
    TokenPair login(String username, Duration accessTtl, Duration refreshTtl);

    /** What is known about a token, whatever its state; empty when it was never issued (or was purged). */
    Optional<TokenInfo> find(String token);

    /** A ws token in {@code family} (the family of the access token that asked for it). */
    String issueWs(Principal principal, Duration ttl);

    /**
     * Atomically revokes a live token of {@code kind} (not revoked, not expired, account still there)
     * and returns whom it spoke for; empty when there is no such token. Single-use ws tokens.
     */
    Optional<Principal> consume(String token, TokenKind kind);

    /**
     * Rotates a refresh token, single use: the first presentation gets a new pair in the same family;
     * presenting it again within {@link #REFRESH_GRACE} gets that same pair (kept meanwhile encrypted
     * under a key derived from the presented token, so the database alone never reveals it); presenting
     * it later revokes the family.
     */
    Refresh refresh(String refreshToken, Duration accessTtl, Duration refreshTtl);

    /** Which of {@code families} are still live: not revoked, and their account is still there. */
    Set<String> liveFamilies(Collection<String> families);

    /** Revokes one login: its family and every token in it (OAuth revocation, a replayed authorization code). */
    void revokeFamily(String family);

    /** Revokes every token and family of an account (log out everywhere); answers how many families were live. */
    int revokeAll(String username);
}
